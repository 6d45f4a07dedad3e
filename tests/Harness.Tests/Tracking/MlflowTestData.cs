using Harness.Execution;
using Harness.Specs;
using Harness.Tracking;
using Harness.Tracking.Mlflow;
using Harness.Training;

namespace Harness.Tests.Tracking;

/// <summary>Small generated fixtures for the MLflow tests: fast settings, run records, synthetic epochs, run folders.</summary>
internal static class MlflowTestData
{
    /// <summary>
    /// Settings that retry and cool down quickly. The request and flush timeouts are generous (15 s): they only
    /// matter when a request really hangs, and an answer from the in-process fake can take seconds on a loaded CI
    /// machine; no test waits on them. A test that waits on a timeout on purpose sets its own, short one
    /// (<see cref="ShortRequestTimeout"/>, or a FlushTimeout of its own).
    /// </summary>
    public static MlflowSettings Fast(Uri uri, string experiment = "mlflow-test") => new(uri, experiment)
    {
        RequestTimeout = TimeSpan.FromSeconds(15),
        MaxAttempts = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(40),
        RetrySeed = 7,
        FlushTimeout = TimeSpan.FromSeconds(15),
        OutageCooldown = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>A request timeout for tests that make the fake answer late on purpose and wait for the client to give up.</summary>
    public static readonly TimeSpan ShortRequestTimeout = TimeSpan.FromMilliseconds(300);

    public static RunRecord Record(string experiment, int seed, int epochs = 9, string condition = "snap29") =>
        new(new RunSpec(experiment, condition,
                new DataSpec(new SyntheticDataSpec("snap29-like", 20, 10)),
                null, "shallow", new ImageSpec(32, 32, ColorMode.Rgb), epochs, 16,
                new OptimizerSpec("adam", 0.001, Epsilon: 1e-7), InitScheme.Keras, "cpu", 1, seed,
                new Dictionary<string, string> { ["optimizer.learning_rate"] = "0.001" },
                $"{condition}{seed:D4}abcdef"[..12]),
            "0123456789abcdef", false, new Dictionary<string, string> { ["dotnet"] = "10.0" }, "cpu", "testhost",
            ["a", "b"], "fingerprint", new Dictionary<string, string>(), "2025-01-02T03:04:05.0000000Z");

    /// <summary>Epoch metrics that reach train accuracy 1 at epoch 6, with a NaN calibration value and a second test set.</summary>
    public static EpochMetrics Epoch(int epoch, int seed) =>
        new(epoch, 1.0 / epoch, Math.Min(1, 0.5 + epoch * 0.1), 0.9 / epoch, Math.Min(1, 0.45 + epoch * 0.1),
            [
                new TestSetMetrics("main", 1.2 / epoch, 0.5 + 0.01 * epoch + 0.001 * seed, 0.8, epoch == 1 ? double.NaN : 0.6, 0.05),
                new TestSetMetrics("other", 1.3 / epoch, 0.5, 0.7, 0.6, 0.1),
            ],
            0.001, 0.25);

    /// <summary>Writes run folders (run.yaml, metrics.csv, status.json) as training would, through the CSV sink.</summary>
    public static List<RunRecord> WriteExperiment(ResultsLayout layout, string experiment, int seeds, int epochs)
    {
        var records = new List<RunRecord>();
        var csv = new RunStore(layout);
        for (int seed = 1; seed <= seeds; seed++)
        {
            var record = Record(experiment, seed, epochs);
            records.Add(record);
            csv.Started(record);
            for (int e = 1; e <= epochs; e++) csv.EpochCompleted(record, Epoch(e, seed));
            csv.Ended(record, new RunOutcome(RunState.Finished, epochs));
        }
        return records;
    }

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "harness-mlflow-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Number of per-epoch measures of <see cref="Epoch"/>.</summary>
    public static int MeasureCount => MetricColumns.Measures(Epoch(1, 1)).Count;
}
