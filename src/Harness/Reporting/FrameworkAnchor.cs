using System.Globalization;
using Harness.Tracking;

namespace Harness.Reporting;

/// <summary>
/// The published Fashion-MNIST set-up trained to the end in plain PyTorch (<c>make fmnist-anchor</c>,
/// scripts/parity/fmnist_train.py, which writes <c>RESULTS/fmnist-anchor.csv</c>): one row per run and epoch. The study
/// puts its final test accuracies beside the harness's, so a shortfall against a published number can be told apart:
/// the set-up's (the anchor falls short too) or the harness's (only the harness does).
/// </summary>
public sealed record FrameworkAnchor(string Path, IReadOnlyList<FrameworkAnchor.Group> Groups)
{
    /// <summary>The file <c>make fmnist-anchor</c> writes under the results root.</summary>
    public const string FileName = "fmnist-anchor.csv";

    /// <summary>Runs of one network and Adam variant ("" for the AlexNet's SGD) that reached the group's last epoch.</summary>
    public sealed record Group(string Workload, string Adam, int Epochs, IReadOnlyList<double> FinalTestAccuracies, int CutShort)
    {
        public double Mean => FinalTestAccuracies.Average();
    }

    /// <summary>The runs of one network, best-known variant first (PyTorch's Adam, which the harness uses, then Keras's).</summary>
    public IEnumerable<Group> Of(string workload) =>
        Groups.Where(g => g.Workload == workload).OrderBy(g => g.Adam switch { "torch" => 0, "" => 0, _ => 1 });

    /// <summary>
    /// Reads the anchor under <paramref name="resultsRoot"/>: null with a null <paramref name="problem"/> when there is
    /// none; null with the problem (file, line, column) when it cannot be used.
    /// </summary>
    public static FrameworkAnchor? TryRead(string resultsRoot, out string? problem)
    {
        problem = null;
        string path = System.IO.Path.Combine(resultsRoot, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var table = TidyCsv.ReadSound(path, out string? damage);
            if (damage is not null) problem = damage + " (the rows before it are used)";
            foreach (var column in new[] { "workload", "adam", "seed", "epoch", "test_accuracy" })
                if (!table.Has(column))
                    throw new InvalidDataException($"{path}: no column '{column}' (make fmnist-anchor writes it; run it again)");
            var rows = Enumerable.Range(0, table.Rows.Count).Select(i => (
                Workload: table.Text(i, "workload"), Adam: table.Text(i, "adam"), Seed: Whole(table, i, "seed"),
                Epoch: Whole(table, i, "epoch"), Test: Accuracy(table, i))).ToArray();
            var groups = rows.GroupBy(r => (r.Workload, r.Adam)).Select(g =>
            {
                var last = g.GroupBy(r => r.Seed).Select(run => run.MaxBy(r => r.Epoch)).ToArray();
                int epochs = last.Max(r => r.Epoch);
                var finished = last.Where(r => r.Epoch == epochs).Select(r => r.Test).ToArray();
                return new Group(g.Key.Workload, g.Key.Adam, epochs, finished, last.Length - finished.Length);
            }).ToArray();
            return groups.Length == 0 ? null : new FrameworkAnchor(path, groups);
        }
        catch (InvalidDataException e)
        {
            problem = e.Message;
            return null;
        }
    }

    private static int Whole(TidyTable t, int row, string column) =>
        int.TryParse(t.Text(row, column), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1 ? v
            : throw new InvalidDataException($"{t.Path}:{row + 2}: {column} '{t.Text(row, column)}' is not a whole number from 1");

    private static double Accuracy(TidyTable t, int row) =>
        t.Number(row, "test_accuracy") is var v && v is >= 0 and <= 1 ? v
            : throw new InvalidDataException($"{t.Path}:{row + 2}: test_accuracy '{t.Text(row, "test_accuracy")}' is not between 0 and 1");
}

/// <summary>The anchor the study found under the results root, or the problem that kept it from being used (both null: none).</summary>
public readonly record struct AnchorReading(FrameworkAnchor? Anchor, string? Problem)
{
    public static AnchorReading Read(string resultsRoot) => new(FrameworkAnchor.TryRead(resultsRoot, out var problem), problem);
}
