using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Harness.Specs;
using Harness.Tracking;
using Harness.Training;
using SkiaSharp;

namespace Harness.Tests.Reporting;

/// <summary>
/// Writes small, fully deterministic results folders (run.yaml, metrics.csv, status.json, and optionally the
/// trainer's panel and attribution files) that the report reads exactly as it reads real runs.
/// </summary>
internal static class TinyExperiment
{
    /// <summary>
    /// One run to write: its condition, seed, per-epoch (train, test) accuracies and state. With <paramref name="Probe"/>
    /// (per-epoch dead-unit fraction and logit spread) it is written as the current build writes runs: probe columns in
    /// metrics.csv and, when finished, its outcome in status.json; without, as a build older than the outcome did.
    /// <paramref name="Running"/> is the per-epoch running (training-mode) accuracy, by default 2 points below the clean one.
    /// <paramref name="Notes"/> are further data notes of its run.yaml (e.g. the distinct-image counts a run records).
    /// </summary>
    internal sealed record Run(string Condition, int Seed, (double Train, double Test)[] Epochs,
        RunState State = RunState.Finished, ControlSpec? Control = null, string Preset = "snf7-like", double Bayes = 0.7,
        (double Dead, double Spread)[]? Probe = null, double[]? Running = null, IReadOnlyDictionary<string, string>? Notes = null)
    {
        /// <summary>The running accuracy of epoch <paramref name="i"/> (0-based).</summary>
        public double RunningAt(int i) => Running?[i] ?? Epochs[i].Train - 0.02;
    }

    /// <summary>The checked-in fixture: Snf7 memorizes with test accuracy near 62 %, Snap29 generalizes; 3 seeds x 4 epochs.</summary>
    internal static IReadOnlyList<Run> Standard() =>
    [
        new("snf7", 1, [(0.70, 0.58), (0.95, 0.61), (1.00, 0.62), (1.00, 0.61)]),
        new("snf7", 2, [(0.75, 0.60), (1.00, 0.63), (1.00, 0.64), (1.00, 0.63)]),
        new("snf7", 3, [(0.68, 0.57), (0.90, 0.60), (0.97, 0.60), (0.99, 0.59)]),
        new("snap29", 1, [(0.70, 0.80), (0.85, 0.90), (0.91, 0.93), (0.94, 0.95)], Preset: "snap29-like", Bayes: 0.98),
        new("snap29", 2, [(0.72, 0.82), (0.86, 0.91), (0.92, 0.94), (0.95, 0.96)], Preset: "snap29-like", Bayes: 0.98),
        new("snap29", 3, [(0.69, 0.78), (0.83, 0.88), (0.90, 0.92), (0.93, 0.94)], Preset: "snap29-like", Bayes: 0.98),
    ];

    /// <summary>
    /// The outcome fixture: like <see cref="Standard"/> plus a fourth seed per condition that did not train normally.
    /// snf7 seeds 1–3 are old-style (no outcome, no probe: the report judges them); snf7 seed 4 collapsed at epoch 3 and
    /// recorded it; snap29 seeds 1–3 recorded that they learned; snap29 seed 4 is old-style and stuck at chance.
    /// </summary>
    internal static IReadOnlyList<Run> Outcomes()
    {
        (double, double)[] probe = [(0.05, 1.0), (0.06, 1.5), (0.07, 2.0), (0.08, 2.2)];
        var standard = Standard();
        return
        [
            .. standard.Where(r => r.Condition == "snf7"),
            new("snf7", 4, [(0.80, 0.58), (0.95, 0.62), (0.55, 0.50), (0.50, 0.50)], Probe: [(0.05, 1.5), (0.1, 2.0), (0.7, 0.02), (0.95, 0.0)]),
            .. standard.Where(r => r.Condition == "snap29").Select(r => r with { Probe = probe }),
            new("snap29", 4, [(0.50, 0.50), (0.51, 0.50), (0.50, 0.50), (0.52, 0.50)], Preset: "snap29-like", Bayes: 0.98),
        ];
    }

    /// <summary>
    /// <see cref="Standard"/> plus two label controls on the snf7 data (half the labels corrupted; random labels), two
    /// seeds each: with image files, every figure of the registry applies (F8 needs controls at two fractions).
    /// </summary>
    internal static IReadOnlyList<Run> WithLabelControls() =>
    [
        .. Standard(),
        new("snf7_corrupt", 1, [(0.50, 0.50), (0.70, 0.55), (0.90, 0.56), (1.00, 0.55)], Control: new ControlSpec("corrupt_labels", 0.5)),
        new("snf7_corrupt", 2, [(0.50, 0.50), (0.60, 0.52), (0.95, 0.56), (1.00, 0.54)], Control: new ControlSpec("corrupt_labels", 0.5)),
        new("snf7_random", 1, [(0.50, 0.50), (0.55, 0.50), (0.80, 0.50), (0.99, 0.51)], Control: new ControlSpec("random_labels")),
        new("snf7_random", 2, [(0.50, 0.50), (0.52, 0.50), (0.70, 0.49), (0.97, 0.50)], Control: new ControlSpec("random_labels")),
    ];

    internal static string RunId(Run run) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{run.Condition}/{run.Seed}/{run.Control?.Kind}/{run.Control?.Fraction.ToString(CultureInfo.InvariantCulture)}")))[..12];

    /// <summary>Writes the runs under <paramref name="experimentDirectory"/>; images for F5/F6 go to the first run when asked.</summary>
    internal static ResultsLayout Write(string experimentDirectory, IEnumerable<Run> runs, bool images = false)
    {
        var layout = new ResultsLayout(experimentDirectory);
        bool first = true;
        foreach (var run in runs)
        {
            string id = RunId(run);
            Directory.CreateDirectory(layout.RunDirectory(id));
            var data = new DataSpec(new SyntheticDataSpec(run.Preset, 20, 10));
            var spec = new RunSpec("tiny", run.Condition, data, run.Control, "deep", new ImageSpec(32, 32, ColorMode.Rgb),
                4, 20, new OptimizerSpec("adam", 0.001, Epsilon: 1e-7), InitScheme.Keras, "cpu", 1, run.Seed,
                new Dictionary<string, string>(), id);
            var record = new RunRecord(spec, "0000000", false, new Dictionary<string, string> { ["harness"] = "test" }, "cpu", "host",
                ["control", run.Condition], "fingerprint",
                new Dictionary<string, string>(run.Notes ?? new Dictionary<string, string>())
                {
                    ["synthetic_preset"] = run.Preset,
                    ["bayes_optimal_accuracy"] = run.Bayes.ToString(CultureInfo.InvariantCulture),
                },
                "2025-01-01T00:00:00.0000000Z");
            File.WriteAllText(layout.RunYaml(id), RunRecordYaml.Serialize(record));
            var probe = run.Probe;
            var rows = run.Epochs.Select((e, i) => (IReadOnlyList<string>)
            [
                (i + 1).ToString(CultureInfo.InvariantCulture), F(1 - e.Train + 0.1), F(run.RunningAt(i)), F(1 - e.Train), F(e.Train),
                F(1.2 - e.Test), F(e.Test), F(0.8 + e.Train / 10), F(0.6 + e.Train / 10), F(Math.Abs(e.Train - e.Test)),
                .. probe is null ? Array.Empty<string>() : [F(probe[i].Dead), F(probe[i].Spread)], "0.001", "1.5",
            ]);
            TidyCsv.Write(layout.RunMetricsCsv(id),
            [
                "epoch", "train_loss_running", "train_accuracy_running", "train_loss", "train_accuracy", "test_loss", "test_accuracy",
                "test_confidence_correct", "test_confidence_wrong", "test_ece",
                .. probe is null ? Array.Empty<string>() : [MetricColumns.DeadUnitFraction, MetricColumns.LogitSpread],
                "learning_rate", "epoch_seconds",
            ], rows);
            // A current build judges a finished run against its training set's chance level (0.5: two balanced classes).
            var verdict = probe is null || run.State != RunState.Finished ? null
                : TrainingOutcomeRules.Judge(run.Epochs.Select((e, i) => (i + 1, e.Train, probe[i].Spread)).ToArray(), 0.5,
                    Enumerable.Range(0, run.Epochs.Length).Max(i => Math.Round(run.RunningAt(i), 6)));
            if (probe is null) WriteOldStatus(layout.RunStatusJson(id), run);
            else
                RunStatusFile.Write(layout.RunStatusJson(id),
                    new RunStatus(run.State, run.Epochs.Length, 4, null, null, "host", 1, "2025-01-01T00:00:00.0000000Z",
                        verdict?.Outcome, verdict?.Why, verdict?.CollapseEpoch, verdict?.ChanceAccuracy));
            if (images && first && run.State == RunState.Finished) WriteImages(layout.RunDirectory(id), run.Condition);
            first = false;
        }
        return layout;
    }

    private static string F(double v) => TidyCsv.Format(Math.Round(v, 6));

    /// <summary>status.json as a build older than the training outcome wrote it: no outcome keys at all.</summary>
    private static void WriteOldStatus(string path, Run run) => File.WriteAllText(path, $$"""
        {
          "state": "{{run.State}}",
          "epochs_completed": {{run.Epochs.Length}},
          "epochs": 4,
          "reason": null,
          "exception": null,
          "host": "host",
          "process_id": 1,
          "updated_utc": "2025-01-01T00:00:00.0000000Z"
        }

        """);

    private static void WriteImages(string runDirectory, string condition)
    {
        Directory.CreateDirectory(Path.Combine(runDirectory, "panel"));
        Directory.CreateDirectory(Path.Combine(runDirectory, "attribution"));
        var panel = new List<IReadOnlyList<string>>();
        var attribution = new List<IReadOnlyList<string>>();
        for (int i = 0; i < 6; i++)
        {
            string image = $"panel/{i:000}.png", map = $"attribution/{i:000}.png";
            Png(Path.Combine(runDirectory, image), i, rgb: true);
            Png(Path.Combine(runDirectory, map), i + 10, rgb: false);
            string truth = i % 2 == 0 ? "control" : condition, predicted = i % 3 == 0 ? condition : truth;
            panel.Add([image, $"C{i}", truth, predicted, TidyCsv.Format(0.55 + i * 0.07)]);
            attribution.Add([map, image, truth, predicted]);
        }
        TidyCsv.Write(Path.Combine(runDirectory, "panel.csv"), ["file", "source", "true_class", "predicted_class", "confidence"], panel);
        TidyCsv.Write(Path.Combine(runDirectory, "attribution.csv"), ["file", "image_file", "true_class", "predicted_class"], attribution);
    }

    /// <summary>A 32 x 32 image of bright blobs (an RGB "cell" or a grayscale attribution magnitude).</summary>
    private static void Png(string path, int seed, bool rgb)
    {
        using var bitmap = new SKBitmap(32, 32, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
            {
                double d = Math.Sqrt(Math.Pow(x - 10 - seed % 7, 2) + Math.Pow(y - 16 + seed % 5, 2));
                byte v = (byte)Math.Clamp(255 * Math.Exp(-d * d / 40), 0, 255);
                bitmap.SetPixel(x, y, rgb ? new SKColor((byte)(v / 3), v, (byte)(40 + v / 2)) : new SKColor(v, v, v));
            }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
