using Harness.Reporting;

namespace Harness.Tests.Reporting;

/// <summary>
/// The study's Fashion-MNIST finding beside the same set-up trained in plain PyTorch (make fmnist-anchor writes
/// RESULTS/fmnist-anchor.csv): a shortfall both share is the set-up's, one only the harness has is the harness's.
/// </summary>
public sealed class FrameworkAnchorTests : IDisposable
{
    private static readonly ReportOptions Fast = new(BootstrapResamples: 1000, Figures: false);
    private const string Header = "workload,adam,seed,epoch,train_accuracy_running,train_accuracy,train_loss,test_accuracy,test_loss,seconds\n";

    private readonly string root = Path.Combine(Path.GetTempPath(), "harness-anchor-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The study's finding 5 over a fashion_mnist experiment whose deep runs end at 88-89 %, with the given anchor file.</summary>
    private StudyFinding Finding(string? anchorCsv)
    {
        Directory.CreateDirectory(root);
        if (anchorCsv is not null) File.WriteAllText(Path.Combine(root, FrameworkAnchor.FileName), anchorCsv);
        var fmnist = TinyExperiment.Write(Path.Combine(root, "fashion_mnist"),
        [
            new("deep_fmnist", 1, [(0.85, 0.84), (0.90, 0.885)]), new("deep_fmnist", 2, [(0.85, 0.84), (0.90, 0.89)]),
            new("alexnet_fmnist", 1, [(0.70, 0.70), (0.74, 0.73)]), new("alexnet_fmnist", 2, [(0.70, 0.70), (0.74, 0.74)]),
        ]);
        var study = StudyReport.Write([new StudyExperiment("fashion_mnist", fmnist.ExperimentDirectory, null)],
            Path.Combine(root, "study"), Fast, AnchorReading.Read(root));
        return study.Findings.Single(f => f.Number == 5);
    }

    private static string Row(string workload, string adam, int seed, int epoch, double test) =>
        $"{workload},{adam},{seed},{epoch},0.9,0.9,0.3,{test.ToString(System.Globalization.CultureInfo.InvariantCulture)},0.3,10.0\n";

    [Fact]
    public void A_shortfall_PyTorch_shares_is_the_set_ups()
    {
        var f = Finding(Header + Row("deep-fmnist", "torch", 1, 1, 0.80) + Row("deep-fmnist", "torch", 1, 2, 0.885)
                        + Row("deep-fmnist", "torch", 2, 1, 0.80) + Row("deep-fmnist", "torch", 2, 2, 0.885)
                        + Row("deep-fmnist", "keras", 1, 2, 0.888)
                        + Row("alexnet-fmnist", "", 1, 2, 0.733) + Row("alexnet-fmnist", "", 2, 2, 0.737));
        Assert.Equal(StudyVerdict.NotReproduced, f.Verdict);
        Assert.Contains("The same set-up in plain PyTorch (make fmnist-anchor, ", f.Paragraph);
        Assert.Contains("deep-fmnist 88.5 % over 2 run(s) after 2 epoch(s) with PyTorch's Adam (as the harness); 88.8 % over 1 run(s) after 2 epoch(s) with Keras's Adam", f.Paragraph);
        Assert.Contains("below 91.0 % too: the shortfall belongs to the published set-up, not to the harness's trainer", f.Paragraph);
        Assert.Contains("alexnet-fmnist 73.5 % over 2 run(s) after 2 epoch(s)", f.Paragraph);
    }

    [Fact]
    public void A_shortfall_only_the_harness_has_is_the_harness_s()
    {
        var f = Finding(Header + Row("deep-fmnist", "torch", 1, 2, 0.915) + Row("deep-fmnist", "torch", 2, 2, 0.92));
        Assert.Contains("above 91.0 % where the harness is not: the shortfall is the harness's", f.Paragraph);
        Assert.DoesNotContain("alexnet-fmnist 7", f.Paragraph);
    }

    [Fact]
    public void Runs_cut_short_are_left_out_and_said()
    {
        var f = Finding(Header + Row("deep-fmnist", "torch", 1, 10, 0.885) + Row("deep-fmnist", "torch", 2, 7, 0.87));
        Assert.Contains("deep-fmnist 88.5 % over 1 run(s) after 10 epoch(s) with PyTorch's Adam (as the harness) (1 run(s) stopped earlier left out)", f.Paragraph);
    }

    [Fact]
    public void Without_an_anchor_the_finding_says_how_to_make_one()
    {
        var f = Finding(null);
        Assert.Contains("make fmnist-anchor trains the same set-up in plain PyTorch (RESULTS/fmnist-anchor.csv)", f.Paragraph);
        Assert.DoesNotContain("The same set-up in plain PyTorch (make fmnist-anchor,", f.Paragraph);
    }

    [Fact]
    public void A_bad_anchor_is_named_with_its_line_not_used()
    {
        var f = Finding(Header + Row("deep-fmnist", "torch", 1, 1, 0.80) + Row("deep-fmnist", "torch", 1, 2, 1.5));
        Assert.Matches(@"The PyTorch anchor could not be read: \S*fmnist-anchor\.csv:3: test_accuracy '1\.5' is not between 0 and 1\.", f.Paragraph);
        var missing = AnchorReading.Read(Write("seed,epoch\n1,1\n"));
        Assert.Null(missing.Anchor);
        Assert.Matches(@"fmnist-anchor\.csv: no column 'workload' \(make fmnist-anchor writes it; run it again\)", missing.Problem);
    }

    [Fact]
    public void A_cut_file_keeps_its_sound_rows_and_says_where_it_broke()
    {
        var reading = AnchorReading.Read(Write(Header + Row("deep-fmnist", "torch", 1, 2, 0.885) + "deep-fmnist,torch,2,2,0.9"));
        Assert.Equal(0.885, reading.Anchor!.Of("deep-fmnist").Single().Mean, 12);
        Assert.Matches(@"fmnist-anchor\.csv:3: the last line is incomplete .*\(the rows before it are used\)", reading.Problem);
    }

    [Fact]
    public void No_anchor_file_is_no_problem()
    {
        Directory.CreateDirectory(root);
        var reading = AnchorReading.Read(root);
        Assert.Null(reading.Anchor);
        Assert.Null(reading.Problem);
    }

    private string Write(string csv)
    {
        string folder = Path.Combine(root, "only-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FrameworkAnchor.FileName), csv);
        return folder;
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }
}
