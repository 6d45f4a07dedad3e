using System.Globalization;
using Harness.Execution;
using Harness.Specs;
using Harness.Tracking;
using Harness.Training;
using SkiaSharp;

namespace Harness.Tests.Execution;

public sealed class RunSessionTests
{
    /// <summary>Numbers of a fused member may differ from its standalone run's by float rounding only.</summary>
    private const double Tolerance = 1e-4;

    [Fact]
    public void A_fused_sweep_leaves_every_file_a_standalone_sweep_leaves()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("seeds=3");
        var alone = tiny.Run(runs, "alone");
        Assert.Equal((6, 0), (alone.Finished, alone.Failed));
        var fused = new RunExecutor(tiny.Layout("fused"), new DatasetCache(tiny.Directory), []).Run(runs, new ExecutorOptions(SeedParallel: 3));
        Assert.Equal((6, 0), (fused.Finished, fused.Failed));
        foreach (var run in runs)
        {
            string standalone = tiny.Layout("alone").RunDirectory(run.RunId), together = tiny.Layout("fused").RunDirectory(run.RunId);
            var files = Files(standalone);
            Assert.Equal(files, Files(together));
            // The figures' inputs are there: the prediction panel (F5) and the attribution maps (F6).
            Assert.Contains("panel.csv", files);
            Assert.Contains("attribution.csv", files);
            Assert.Contains(files, f => f.StartsWith("attribution/", StringComparison.Ordinal) && f.EndsWith(".png", StringComparison.Ordinal));
            foreach (var file in files) AssertSameKind(Path.Combine(standalone, file), Path.Combine(together, file), file);
        }
    }

    [Fact]
    public void A_sink_that_throws_is_switched_off_for_its_run_and_training_goes_on()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("seeds=1");
        var warnings = new List<string>();
        var broken = new ThrowingSink(failAtEpoch: 1);
        var result = new RunExecutor(tiny.Layout(), new DatasetCache(tiny.Directory), [broken], warnings.Add).Run(runs, new ExecutorOptions());
        Assert.Equal((2, 0), (result.Finished, result.Failed));
        // One warning per run, naming the sink, the moment and the run; no call after the failure.
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("ThrowingSink failed at epoch 1", w));
        Assert.Contains(runs[0].RunId, warnings[0]);
        Assert.Equal(0, broken.CallsAfterFailure);
        // Each run started with the sink switched on again: it saw both starts.
        Assert.Equal(2, broken.Starts);
        foreach (var run in runs)
        {
            Assert.Equal(RunState.Finished, RunStatusFile.TryRead(tiny.Layout().RunStatusJson(run.RunId))!.State);
            Assert.Equal(2, TidyCsv.Read(tiny.Layout().RunMetricsCsv(run.RunId)).Rows.Count);
        }
    }

    [Fact]
    public void Status_json_has_one_writer_the_run_store()
    {
        string source = Path.Combine(RepoPaths.Root, "src");
        var writers = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("RunStatusFile.Write(", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(source, f).Replace('\\', '/'))
            .ToArray();
        Assert.Equal(["Harness/Execution/RunStore.cs"], writers);
    }

    private static string[] Files(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".", StringComparison.Ordinal)) // the claim's lock file
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The same content up to float rounding and what legitimately differs (times, the execution mode, weights' last bits).</summary>
    private static void AssertSameKind(string expected, string actual, string name)
    {
        switch (Path.GetExtension(name))
        {
            case ".csv":
                AssertCloseTables(TidyCsv.Read(expected), TidyCsv.Read(actual), name);
                break;
            case ".png":
                using (var a = SKBitmap.Decode(expected))
                using (var b = SKBitmap.Decode(actual))
                {
                    Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
                    // Attribution maps are scaled to their own maximum: rounding moves a pixel by a level or two at most.
                    double difference = a.Pixels.Zip(b.Pixels, (p, q) => Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue)).Average();
                    Assert.True(difference < 1.0, $"{name}: mean pixel difference {difference}");
                }
                break;
            case ".yaml":
                var (ra, rb) = (RunRecordYaml.Read(expected), RunRecordYaml.Read(actual));
                Assert.Equal(ra.Spec with { GridPoint = rb.Spec.GridPoint }, rb.Spec);
                Assert.Equal(ra.Spec.GridPoint, rb.Spec.GridPoint);
                Assert.Equal((ra.DataFingerprint, ra.Device, ra.ResumedFromEpoch), (rb.DataFingerprint, rb.Device, rb.ResumedFromEpoch));
                Assert.Equal(ra.DataNotes, rb.DataNotes);
                break;
            case ".json":
                var (sa, sb) = (RunStatusFile.TryRead(expected)!, RunStatusFile.TryRead(actual)!);
                Assert.Equal((sa.State, sa.EpochsCompleted, sa.Reason, sa.Outcome, sa.OutcomeDetail), (sb.State, sb.EpochsCompleted, sb.Reason, sb.Outcome, sb.OutcomeDetail));
                break;
            case ".txt" when name.EndsWith("epoch.txt", StringComparison.Ordinal):
                Assert.Equal(File.ReadAllText(expected), File.ReadAllText(actual));
                break;
            case ".txt":
                Assert.Equal(Lines(expected, "Epoch "), Lines(actual, "Epoch "));
                break;
            case ".bin":
                Assert.Equal(new FileInfo(expected).Length, new FileInfo(actual).Length);
                break;
            default:
                Assert.Fail($"{name}: a run file of a kind this comparison does not know; teach it");
                break;
        }
    }

    private static int Lines(string path, string start) => File.ReadLines(path).Count(l => l.Contains("] " + start, StringComparison.Ordinal));

    private static void AssertCloseTables(TidyTable a, TidyTable b, string name)
    {
        Assert.Equal(a.Columns, b.Columns);
        Assert.Equal(a.Rows.Count, b.Rows.Count);
        for (int r = 0; r < a.Rows.Count; r++)
            for (int c = 0; c < a.Columns.Count; c++)
            {
                if (a.Columns[c] == "epoch_seconds") continue;
                string x = a.Rows[r][c], y = b.Rows[r][c];
                if (double.TryParse(x, CultureInfo.InvariantCulture, out double dx) && double.TryParse(y, CultureInfo.InvariantCulture, out double dy))
                    Assert.True((double.IsNaN(dx) && double.IsNaN(dy)) || Math.Abs(dx - dy) <= Tolerance, $"{name} {a.Columns[c]} row {r}: {x} vs {y}");
                else Assert.Equal(x, y);
            }
    }

    private sealed class ThrowingSink(int failAtEpoch) : IMetricSink
    {
        private readonly HashSet<string> failed = [];
        public int Starts { get; private set; }
        public int CallsAfterFailure { get; private set; }

        public void RunStarted(RunRecord run) => Starts++;

        public void EpochCompleted(RunRecord run, EpochMetrics metrics)
        {
            if (failed.Contains(run.Spec.RunId)) CallsAfterFailure++;
            if (metrics.Epoch != failAtEpoch) return;
            failed.Add(run.Spec.RunId);
            throw new IOException("backend gone");
        }

        public void RunEnded(RunRecord run, RunOutcome outcome)
        {
            if (failed.Contains(run.Spec.RunId)) CallsAfterFailure++;
        }

        public void Dispose() { }
    }
}
