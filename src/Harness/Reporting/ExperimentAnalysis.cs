using System.Globalization;
using Harness.Data;
using Harness.Specs;
using Harness.Tracking;

namespace Harness.Reporting;

/// <summary>
/// Everything the report states, computed once from an experiment's runs: per-run measures, groups with their
/// curves and memorization estimates, summaries across seeds, comparisons between groups, published values
/// beside reproduced ones, controls, and the list of what could not be estimated.
/// </summary>
/// <param name="Experiment">Experiment name (from the runs, or the folder name).</param>
/// <param name="Options">The settings used.</param>
/// <param name="Runs">Every run, ordered by group and seed.</param>
/// <param name="Groups">Groups in report order (true data first, then controls).</param>
/// <param name="Summaries">Per group and measure statistics, over all finished runs and over the finished runs that learned.</param>
/// <param name="Comparisons">Measures compared between groups of true data: over all finished runs, and over the runs that
/// learned where some run of either group did not.</param>
/// <param name="PublishedSource">Where the published numbers come from, when given.</param>
/// <param name="Published">Published versus reproduced values.</param>
/// <param name="Controls">Memorization controls, when present.</param>
/// <param name="Limitations">Plain statements of what could not be estimated, and why.</param>
public sealed record ExperimentAnalysis(
    string Experiment, ReportOptions Options, IReadOnlyList<ReportRun> Runs, IReadOnlyList<ConditionGroup> Groups,
    IReadOnlyList<MeasureSummary> Summaries, IReadOnlyList<ConditionComparison> Comparisons,
    string? PublishedSource, IReadOnlyList<PublishedComparison> Published, IReadOnlyList<ControlResult> Controls,
    IReadOnlyList<string> Limitations)
{
    /// <summary>Measures compared between groups.</summary>
    public static readonly IReadOnlyList<string> ComparedMeasures =
        ["final_test_accuracy", "final_train_accuracy", "generalization_gap", "peak_test_accuracy"];

    /// <summary>Above this many groups, each group is compared with the first only instead of every pair.</summary>
    public const int AllPairsLimit = 5;

    /// <summary>The summary of a measure in a group, over every finished run or over those that learned.</summary>
    public Summary SummaryOf(string group, string measure, RunSet runs = RunSet.All) =>
        Summaries.First(s => s.Group == group && s.Measure == measure && s.Runs == runs).Summary;

    /// <summary>Whether any run's data are synthetic.</summary>
    public bool IsSynthetic => Groups.Any(g => g.SyntheticPreset is not null);

    /// <summary>Reads and analyses every run of an experiment.</summary>
    public static ExperimentAnalysis Analyze(ResultsLayout layout, PublishedSpec? published, ReportOptions options)
    {
        var files = ReportSelection.Select(layout, ExperimentMetrics.ReadRuns(layout), out string? leftOut);
        string experiment = files.Count > 0 ? files[0].Record.Spec.Experiment : Path.GetFileName(Path.TrimEndingDirectorySeparator(layout.ExperimentDirectory));
        var keys = GroupKeys(files.Select(f => f.Record.Spec).ToArray());
        var runs = files
            .Select(f => new ReportRun(f, layout.RunDirectory(f.Record.Spec.RunId),
                RunMeasures.From(f, keys[f.Record.Spec.RunId], options.MemorizationEpsilon), RunHistory.From(f.Metrics)))
            .OrderBy(r => r.Measures.Group, StringComparer.Ordinal).ThenBy(r => r.Measures.Seed).ThenBy(r => r.Measures.RunId, StringComparer.Ordinal)
            .ToArray();

        var groups = runs.GroupBy(r => r.Measures.Group)
            .Select(g => BuildGroup(g.Key, g.ToArray()))
            .OrderBy(g => g.Control is not null).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToArray();

        var summaries = groups.SelectMany(g => new[] { RunSet.All, RunSet.Learned }.SelectMany(set => RunMeasures.MeasureNames.Select(m =>
            new MeasureSummary(g.Key, set, m, Summary.Of(g.Values(m, set), options.BootstrapResamples, options.Seed))))).ToArray();

        var limitations = leftOut is null ? new List<string>() : [leftOut];
        var comparisons = Compare(groups.Where(g => g.Control is null).ToArray(), options, limitations);
        var publishedRows = published is null ? [] : ComparePublished(published, groups, summaries, options);
        var controls = CompareControls(groups, options);
        Limit(runs, groups, limitations);
        return new ExperimentAnalysis(experiment, options, runs, groups, summaries, comparisons, published?.Source,
            publishedRows, controls, limitations);
    }

    /// <summary>Grouping key per run id: condition, plus architecture, colour mode and other grid values when they vary.</summary>
    public static IReadOnlyDictionary<string, string> GroupKeys(IReadOnlyList<RunSpec> specs)
    {
        bool archVaries = specs.Select(s => s.Architecture).Distinct().Count() > 1;
        bool colorVaries = specs.Select(s => s.Image.ColorMode.ToString()).Distinct().Count() > 1;
        var gridKeys = specs.SelectMany(s => s.GridPoint.Keys).Distinct()
            .Where(k => !k.Contains("architecture", StringComparison.Ordinal) && !k.Contains("color_mode", StringComparison.Ordinal))
            .Where(k => specs.Select(s => s.GridPoint.TryGetValue(k, out var v) ? v : "").Distinct().Count() > 1)
            .Order(StringComparer.Ordinal).ToArray();
        var keys = new Dictionary<string, string>();
        foreach (var s in specs)
        {
            var parts = new List<string> { s.Condition };
            if (archVaries) parts.Add(s.Architecture);
            if (colorVaries) parts.Add(s.Image.ColorMode.ToString());
            foreach (var k in gridKeys) parts.Add($"{k}={(s.GridPoint.TryGetValue(k, out var v) ? v : "")}");
            keys[s.RunId] = string.Join(" ", parts);
        }
        return keys;
    }

    private static ConditionGroup BuildGroup(string key, ReportRun[] runs)
    {
        var first = runs[0].Files.Record;
        var finished = runs.Where(r => r.Measures.IsFinished).ToArray();
        var learned = finished.Where(r => r.Measures.Learned).ToArray();
        var notes = (finished.Length > 0 ? finished[0] : runs[0]).Files.Record.DataNotes;
        string? preset = notes.TryGetValue("synthetic_preset", out var p) ? p : (first.Spec.Data.Source as SyntheticDataSpec)?.Preset;
        double? bayes = notes.TryGetValue("bayes_optimal_accuracy", out var b)
            && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var bv) ? bv : null;
        // The mean curves are over the runs that learned: a run stuck at chance or collapsed would drag a mean towards
        // chance and widen the band without saying so; the figures show those runs as marked points instead.
        var epochs = learned.SelectMany(r => r.History.Epochs).Distinct().Order().ToArray();
        IReadOnlyList<EpochBand> Bands(Func<RunHistory, IReadOnlyList<double>> curve) =>
            epochs.Select(e => EpochBand.Of(e, learned.Select(r => RunHistory.At(r.History, curve(r.History), e)))).ToArray();
        var km = KaplanMeier.Estimate(finished.Where(r => r.Measures.EpochsCompleted > 0)
            .Select(r => (r.Measures.MemorizationEpoch ?? r.Measures.LastEpoch, r.Measures.Memorized)));
        return new ConditionGroup(key, first.Spec.Condition, first.Spec.Architecture, first.Spec.Image.ColorMode.ToString(),
            first.Spec.Control, RunRecordYaml.SerializeObject(first.Spec.Data), runs, finished, learned, preset, bayes,
            Bands(h => h.TrainAccuracy), Bands(h => h.TestAccuracy), Bands(h => h.TrainLoss), Bands(h => h.TestLoss),
            Bands(h => h.RunningTrainAccuracy), km);
    }

    private static ConditionComparison[] Compare(ConditionGroup[] groups, ReportOptions options, List<string> limitations)
    {
        var pairs = new List<(ConditionGroup A, ConditionGroup B)>();
        if (groups.Length <= AllPairsLimit)
        {
            for (int i = 0; i < groups.Length; i++)
                for (int j = i + 1; j < groups.Length; j++) pairs.Add((groups[i], groups[j]));
        }
        else
        {
            for (int j = 1; j < groups.Length; j++) pairs.Add((groups[0], groups[j]));
        }
        var result = new List<ConditionComparison>();
        foreach (var (a, b) in pairs)
        {
            if (a.Finished.Count < 2 || b.Finished.Count < 2)
                limitations.Add($"No test between {a.Key} and {b.Key}: a test needs at least two finished runs in each " +
                                $"(have {a.Finished.Count} and {b.Finished.Count}).");
            foreach (var m in ComparedMeasures)
                result.Add(ConditionComparison.Of(m, a.Key, a.Values(m), b.Key, b.Values(m), options.BootstrapResamples, options.Seed));
            // Over the runs that learned only where that differs from all runs: otherwise the rows would be identical.
            if (a.AllLearned && b.AllLearned) continue;
            foreach (var m in ComparedMeasures)
                result.Add(ConditionComparison.Of(m, a.Key, a.Values(m, RunSet.Learned), b.Key, b.Values(m, RunSet.Learned),
                    options.BootstrapResamples, options.Seed, RunSet.Learned));
        }
        return result.ToArray();
    }

    private static PublishedComparison[] ComparePublished(PublishedSpec published, ConditionGroup[] groups,
        MeasureSummary[] summaries, ReportOptions options)
    {
        var rows = new List<PublishedComparison>();
        foreach (var v in published.Values)
        {
            var matches = groups.Where(g => string.Equals(g.Condition, v.Condition, StringComparison.OrdinalIgnoreCase)
                                            || string.Equals(g.Key, v.Condition, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (matches.Length == 0)
            {
                rows.Add(new PublishedComparison(v.Condition, null, v.Measure, v.Value, v.Note, 0, double.NaN, null, null,
                    "no run of this condition"));
                continue;
            }
            foreach (var g in matches) rows.Add(ComparePublished(v, g, summaries, options));
        }
        return rows.ToArray();
    }

    private static PublishedComparison ComparePublished(PublishedValue v, ConditionGroup g, MeasureSummary[] summaries, ReportOptions options)
    {
        string measure = v.Measure;
        PublishedComparison Row(int n, double reproduced, ConfidenceInterval? ci, string comment) =>
            new(v.Condition, g.Key, measure, v.Value, v.Note, n, reproduced, ci, ci?.Contains(v.Value), comment);

        switch (measure)
        {
            case "human_expert_accuracy":
                return Row(0, double.NaN, null, g.BayesOptimalAccuracy is double bayes
                    ? $"a human rating: not reproducible; Bayes-optimal ceiling of the synthetic data {Percent(bayes)}"
                    : "a human rating: not reproducible");
            case "best_run_test_accuracy" or "best_test_accuracy":
            {
                var values = g.Values("final_test_accuracy");
                if (values.Length == 0) return Row(0, double.NaN, null, "no finished run");
                var ci = Bootstrap.Interval(values, s => s.Max(), options.BootstrapResamples, options.Seed);
                return Row(values.Length, values.Max(), ci, ci is null
                    ? "maximum over runs; one run: no interval"
                    : "maximum of final test accuracy over runs; interval: percentile bootstrap of the maximum");
            }
            case "final_test_accuracy" or "final_train_accuracy" or "final_train_accuracy_running" or "peak_test_accuracy" or "memorization_epoch":
            {
                var s = summaries.First(x => x.Group == g.Key && x.Runs == RunSet.All && x.Measure == measure).Summary;
                string comment = s.N == 0 ? "no finished run with a value"
                    : s.Ci is null ? "mean of one run: no interval"
                    : "mean over runs";
                if (!g.AllLearned)
                {
                    var l = summaries.First(x => x.Group == g.Key && x.Runs == RunSet.Learned && x.Measure == measure).Summary;
                    comment += $"; over all {g.Finished.Count} finished runs, {g.Finished.Count - g.Learned.Count} of which did not learn " +
                               $"(over the {l.N} that learned: " +
                               (measure == "memorization_epoch" ? $"epoch {l.Mean.ToString("0.0", CultureInfo.InvariantCulture)})" : $"{Percent(l.Mean)})");
                }
                if (measure == "memorization_epoch" && s.N < g.Finished.Count)
                    comment += $"; {g.Finished.Count - s.N} run(s) never memorized and are left out (see Kaplan–Meier)";
                return Row(s.N, s.Mean, s.Ci, comment);
            }
            default:
                return Row(0, double.NaN, null, "measure not computed by the harness");
        }
    }

    private static ControlResult[] CompareControls(ConditionGroup[] groups, ReportOptions options) =>
        groups.Where(g => g.Control is not null).Select(g =>
        {
            var baseline = groups.FirstOrDefault(b => b.Control is null && b.DataKey == g.DataKey
                                                      && b.Architecture == g.Architecture && b.ColorMode == g.ColorMode);
            int? median = g.Memorization.Median, baseMedian = baseline?.Memorization.Median;
            double? slowdown = median is int m && baseMedian is int bm && bm > 0 ? (double)m / bm : null;
            double fraction = g.Control!.Kind == "corrupt_labels" ? g.Control.Fraction : 1.0;
            return new ControlResult(g.Key, g.Control.Kind, fraction, baseline?.Key, g.Finished.Count,
                g.Finished.Count(r => r.Measures.Memorized), median, baseMedian, slowdown,
                Summary.Of(g.Values("final_test_accuracy"), options.BootstrapResamples, options.Seed));
        }).ToArray();

    private static void Limit(ReportRun[] runs, ConditionGroup[] groups, List<string> limitations)
    {
        var unfinished = runs.Where(r => !r.Measures.IsFinished).ToArray();
        if (unfinished.Length > 0)
        {
            string states = string.Join(", ", unfinished.GroupBy(r => r.Measures.State).OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => $"{s.Count()} {s.Key.ToLowerInvariant()}"));
            limitations.Insert(0, $"{unfinished.Length} of {runs.Length} runs are not finished ({states}): they are listed in runs.csv " +
                                  "but left out of every statistic, so this is a partial sweep.");
        }
        foreach (var g in groups)
        {
            if (g.Finished.Count == 0)
                limitations.Add($"{g.Key} has no finished run: nothing can be estimated for it.");
            else if (g.Finished.Count == 1)
                limitations.Add($"{g.Key} rests on a single finished run: no standard deviation, no confidence interval and no test can be estimated from n = 1.");
            if (g.Finished.Count > 0 && g.Learned.Count == 0)
                limitations.Add($"{g.Key} has no finished run that learned: its statistics over the runs that learned are empty, and those over all runs describe networks that did not train normally.");
            if (RepeatedTestImages(g) is { } repeated) limitations.Add(repeated);
            if (g.NotJudged.Count > 0)
                limitations.Add($"{g.NotJudged.Count} finished run(s) of {g.Key} could not be judged (no epoch with a training accuracy, or no class names to set chance by): " +
                                "they count in the statistics over all runs but not in those over the runs that learned.");
        }
    }

    /// <summary>
    /// When a group's primary test set holds each image under several names (a folder of <c>copies: identical</c>, as the
    /// published Snf7 folders), how few images its test accuracy really rests on, from the counts its runs recorded
    /// (<see cref="DistinctImageNotes"/>): the number of distinct images, the step of one run's accuracy, and the
    /// binomial standard error that a different draw of that many test images would add, which the intervals across
    /// seeds (all measured on the same images) do not contain. Null when its images are distinct or were not counted.
    /// </summary>
    internal static string? RepeatedTestImages(ConditionGroup g)
    {
        if (g.Finished.FirstOrDefault() is not { } run || DistinctImageNotes.Read(run.Files.Record.DataNotes, "test") is not var (distinct, files)
            || distinct == files) return null;
        double p = g.Values("final_test_accuracy").DefaultIfEmpty(double.NaN).Average();
        string se = double.IsNaN(p) ? "" : FormattableString.Invariant(
            $" (binomial standard error {Math.Sqrt(p * (1 - p) / distinct) * 100:0.0} percentage points at its mean final test accuracy of {Percent(p)})");
        return FormattableString.Invariant(
            $"{g.Key}: its test set holds {distinct} distinct images in {files} files ({(double)files / distinct:0.#} copies of each on average), so one run's test accuracy moves in steps of {100.0 / distinct:0.0} percentage points. ") +
            "Every run is measured on the same images: the intervals across seeds do not contain the spread that a different draw of " +
            FormattableString.Invariant($"{distinct} test images would add{se}; keep it in mind when comparing with a value measured on other images, such as a published one.");
    }

    /// <summary>
    /// When a group's runs trained on draws that repeat images, how many distinct images they held (range over the
    /// finished runs that recorded it): what memorizing the training set meant. Null when every draw was distinct.
    /// </summary>
    internal static string? RepeatedTrainingImages(ConditionGroup g)
    {
        var counts = g.Finished.Select(r => DistinctImageNotes.Read(r.Files.Record.DataNotes, "train")).OfType<(int Distinct, int Images)>().ToArray();
        if (counts.Length == 0 || counts.All(c => c.Distinct == c.Images)) return null;
        int low = counts.Min(c => c.Distinct), high = counts.Max(c => c.Distinct), lowImages = counts.Min(c => c.Images), highImages = counts.Max(c => c.Images);
        string Range(int a, int b) => a == b ? a.ToString(CultureInfo.InvariantCulture) : FormattableString.Invariant($"{a}–{b}");
        return $"Each run's {Range(lowImages, highImages)} training images held {Range(low, high)} distinct ones.";
    }

    /// <summary>A fraction as a percentage with one decimal, invariant culture (0.618 → "61.8 %").</summary>
    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "n/a" : (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
