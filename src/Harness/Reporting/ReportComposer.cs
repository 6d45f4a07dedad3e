using System.Globalization;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Reporting;

/// <summary>Composes the report's text (a results section, tables, figures) from an analysis.</summary>
internal static class ReportComposer
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static ReportText Compose(ExperimentAnalysis a, IReadOnlyList<FigureFile> figures)
    {
        var t = new ReportText();
        Introduction(t, a);
        Data(t, a);
        if (a.Limitations.Count > 0)
        {
            t.Heading(2, "What this report cannot estimate");
            t.Bullets(a.Limitations);
        }
        Outcomes(t, a);
        Results(t, a);
        SummaryTable(t, a);
        if (a.Comparisons.Count > 0) ComparisonTable(t, a);
        MemorizationTable(t, a);
        if (a.PublishedSource is not null) Published(t, a);
        if (a.Controls.Count > 0) Controls(t, a);
        if (figures.Count > 0)
        {
            t.Heading(2, "Figures");
            foreach (var f in figures) t.Figure(f, "figures");
        }
        RunTable(t, a);
        Files(t);
        return t;
    }

    /// <summary>The bootstrap as the methods and the tables name it (resamples and seed).</summary>
    private static string BootstrapWords(ExperimentAnalysis a) => Bootstrap.Describe(a.Options.BootstrapResamples, a.Options.Seed);

    /// <summary>The title, what the report rests on, and the methods.</summary>
    private static void Introduction(ReportText t, ExperimentAnalysis a)
    {
        var o = a.Options;
        int finished = a.Runs.Count(r => r.Measures.IsFinished);
        t.Heading(1, $"Results: {a.Experiment}");
        t.Paragraph($"This report rests on {finished} finished run(s) of {a.Runs.Count} in {a.Groups.Count} group(s) " +
                    $"({string.Join("; ", a.Groups.Select(g => $"{g.Key}: {g.Finished.Count} of {g.Runs.Count}"))}). " +
                    "Only finished runs enter statistics; every run is listed in runs.csv. " + OutcomeCounts(a));
        t.Paragraph("Methods. Each run's measures are taken from its metrics.csv: final and peak test accuracy on the primary test set, " +
                    "final clean training accuracy (the training set evaluated after the epoch, not the running mean over batches), " +
                    "their difference (generalization gap), and the memorization epoch, the first epoch whose clean training accuracy is at least " +
                    $"1 − ε (ε = {o.MemorizationEpsilon.ToString("0.###E+0", Inv)}; reported as 100 %). " +
                    $"Intervals of a mean across seeds and of a difference of means are 95 % {BootstrapWords(a)} (percentile method). " +
                    $"Per-epoch bands are the {EpochBand.Method}. " +
                    "Groups are compared with Welch's t-test, the Mann–Whitney U test (exact p when both groups have at most " +
                    $"{MannWhitneyTest.ExactLimit} runs and no ties, otherwise the normal approximation with tie and continuity correction), " +
                    "Cohen's d (pooled SD) and Cliff's delta. Runs that never memorize are censored at their last epoch in a Kaplan–Meier " +
                    "estimate of the fraction not yet memorized. " +
                    "Each finished run is judged from its per-epoch clean training accuracy: collapsed if it reached " +
                    $"{ExperimentAnalysis.Percent(TrainingOutcomeRules.CollapseFrom)} and later fell to chance + {Pp(TrainingOutcomeRules.CollapseMargin)} or below; " +
                    $"stuck at chance if it never rose more than {Pp(TrainingOutcomeRules.LearnedMargin)} above chance or its outputs were constant " +
                    "(logit spread ≈ 0); learned otherwise. Chance is the share of the training set's most frequent class. " +
                    "Statistics are computed over all finished runs and again over the finished runs that learned; each says which.");
    }

    /// <summary>One sentence per group of true data, and one per comparison of final test accuracy.</summary>
    private static void Results(ReportText t, ExperimentAnalysis a)
    {
        t.Heading(2, "Results");
        foreach (var g in a.Groups.Where(g => g.Control is null)) t.Paragraph(GroupSentence(a, g));
        foreach (var c in a.Comparisons.Where(c => c.Measure == "final_test_accuracy")) t.Paragraph(ComparisonSentence(c));
    }

    private static void SummaryTable(ReportText t, ExperimentAnalysis a)
    {
        t.Heading(2, "Summary across seeds");
        t.Paragraph($"Mean, SD, median and range over the finished runs named in the column runs: all = every finished run, " +
                    $"learned = the finished runs that learned; n = runs with a value. 95 % CI of the mean by {BootstrapWords(a)}. " +
                    "Rows over the runs that learned are shown only for groups in which some run did not learn (otherwise they repeat " +
                    "the rows over all runs); summary.csv has both for every group. " +
                    "Memorization epoch is summarized over the runs that memorized only (see the Kaplan–Meier table for all runs).");
        var shown = a.Summaries.Where(s => s.Runs == RunSet.All || !a.Groups.First(g => g.Key == s.Group).AllLearned);
        t.Table(["group", "runs", "measure", "n", "mean", "SD", "median", "min–max", "95 % CI"],
            shown.Select(s => (IReadOnlyList<string>)
            [
                s.Group, ReportTables.Label(s.Runs), s.Measure, s.Summary.N.ToString(Inv), Value(s.Measure, s.Summary.Mean), Value(s.Measure, s.Summary.Sd),
                Value(s.Measure, s.Summary.Median), s.Summary.N == 0 ? "n/a" : $"{Value(s.Measure, s.Summary.Min)} – {Value(s.Measure, s.Summary.Max)}",
                s.Summary.Ci is { } ci ? $"{Value(s.Measure, ci.Low)} – {Value(s.Measure, ci.High)}" : NoInterval(s.Summary.N),
            ]));
    }

    private static void ComparisonTable(ReportText t, ExperimentAnalysis a)
    {
        t.Heading(2, "Comparisons between groups");
        t.Paragraph($"Difference = mean of the first group − mean of the second, with its 95 % {BootstrapWords(a)} interval. " +
                    "Two-sided p values. A blank entry could not be estimated (fewer than two runs, or no variance). " +
                    "runs: all = every finished run of both groups; learned = only the runs that learned (given where some run did not).");
        t.Table(["measure", "runs", "groups", "n", "difference [95 % CI]", "Welch t (df), p", "Mann–Whitney U, p", "Cohen's d", "Cliff's δ"],
            a.Comparisons.Select(c => (IReadOnlyList<string>)
            [
                c.Measure, ReportTables.Label(c.Runs), $"{c.GroupA} − {c.GroupB}", $"{c.NA}, {c.NB}",
                double.IsNaN(c.Difference) ? "" : Difference(c.Measure, c.Difference) + (c.DifferenceCi is { } ci ? $" [{Difference(c.Measure, ci.Low)}, {Difference(c.Measure, ci.High)}]" : ""),
                c.Welch is { } w ? $"{N2(w.T)} ({N1(w.DegreesOfFreedom)}), p {P(w.P)}" : "",
                c.MannWhitney is { } u ? $"{N1(u.U)}, p {P(u.P)} ({u.Method})" : "",
                N2(c.CohensD), N2(c.CliffsDelta),
            ]));
    }

    private static void MemorizationTable(ReportText t, ExperimentAnalysis a)
    {
        t.Heading(2, "Memorization");
        t.Paragraph("Kaplan–Meier estimate of the fraction of runs whose clean training accuracy has not yet reached 100 %; " +
                    "the median is the first epoch at which that fraction is one half or less. It is over all finished runs: " +
                    "a run that never reached 100 % (every run stuck at chance among them) is censored at its last epoch, and a collapsed run counts " +
                    "at the first epoch it reached 100 %, before or after its collapse (see Training outcomes).");
        t.Table(["group", "n", "memorized", "median epoch", "not yet memorized at the last epoch"],
            a.Groups.Where(g => g.Finished.Count > 0).Select(g => (IReadOnlyList<string>)
            [
                g.Key, g.Memorization.N.ToString(Inv), g.Memorization.Events.ToString(Inv),
                g.Memorization.Median is int m ? m.ToString(Inv) : "not reached",
                g.Memorization.Steps.Count > 0 ? ExperimentAnalysis.Percent(g.Memorization.Steps[^1].Survival) : "n/a",
            ]));
    }

    private static void RunTable(ReportText t, ExperimentAnalysis a)
    {
        t.Heading(2, "Runs");
        t.Table(["group", "seed", "run", "state", "outcome", "epochs", "final test", "final train", "memorization epoch"],
            a.Runs.Select(r => (IReadOnlyList<string>)
            [
                r.Measures.Group, r.Measures.Seed.ToString(Inv), r.Measures.RunId,
                r.Measures.IsFinished ? r.Measures.State : r.Measures.State + " (excluded)",
                r.Measures.Outcome is { } o ? o.Words : r.Measures.IsFinished ? "not judged" : "",
                $"{r.Measures.EpochsCompleted} of {r.Measures.EpochsPlanned}",
                ExperimentAnalysis.Percent(r.Measures.FinalTestAccuracy), ExperimentAnalysis.Percent(r.Measures.FinalTrainAccuracy),
                r.Measures.MemorizationEpoch is int e ? e.ToString(Inv) : $"not reached (censored at {r.Measures.LastEpoch})",
            ]));
    }

    private static void Files(ReportText t)
    {
        t.Heading(2, "Files");
        t.Bullets([
            "summary.csv: one row per group, run set (runs: all or learned) and measure (n, mean, sd, median, min, max, ci_low, ci_high, method); accuracies as fractions.",
            "runs.csv: one row per run with its measures, state, whether it entered statistics, its training outcome (outcome, collapse_epoch, chance_accuracy, outcome_judged_by, outcome_detail) and its last epoch's probe (final_dead_unit_fraction, final_logit_spread).",
            "outcomes.csv: per group, the finished runs that learned, were stuck at chance or collapsed, with collapse epochs, run ids and the notes of stuck runs.",
            "test_accuracy.csv (comparison, test_accuracy) and training_accuracy.csv (comparison, epoch, training.accuracy): tidy files for the published R scripts, in percent, with every finished run whatever its outcome (runs.csv says which learned).",
            "figures/: each figure as PNG and SVG, with its data as CSV.",
        ]);
    }

    /// <summary>At most this many runs are named in a sentence; the rest are in outcomes.csv and runs.csv.</summary>
    private const int NamedRunsLimit = 10;

    private static string OutcomeCounts(ExperimentAnalysis a)
    {
        var finished = a.Runs.Where(r => r.Measures.IsFinished).ToArray();
        if (finished.Length == 0) return "";
        int Count(TrainingOutcome o) => finished.Count(r => r.Measures.Outcome?.Outcome == o);
        int unjudged = finished.Count(r => r.Measures.Outcome is null);
        return $"Of the {finished.Length} finished runs, {Count(TrainingOutcome.Learned)} learned, {Count(TrainingOutcome.StuckAtChance)} stuck at chance " +
               $"and {Count(TrainingOutcome.Collapsed)} collapsed" + (unjudged > 0 ? $"; {unjudged} could not be judged" : "") + " (see Training outcomes).";
    }

    private static void Outcomes(ReportText t, ExperimentAnalysis a)
    {
        var finished = a.Runs.Where(r => r.Measures.IsFinished).ToArray();
        if (finished.Length == 0) return;
        t.Heading(2, "Training outcomes");
        OutcomeWarning(t, finished);
        OutcomeTable(t, a);
        JudgedByReportNote(t, finished);
    }

    /// <summary>A warning naming the runs that did not train normally, or a sentence saying that every run learned.</summary>
    private static void OutcomeWarning(ReportText t, ReportRun[] finished)
    {
        var stuck = finished.Where(r => r.Measures.Outcome?.Outcome == TrainingOutcome.StuckAtChance).ToArray();
        var collapsed = finished.Where(r => r.Measures.Outcome?.Outcome == TrainingOutcome.Collapsed).ToArray();
        if (stuck.Length + collapsed.Length > 0)
        {
            var parts = new List<string>();
            if (stuck.Length > 0)
                parts.Add($"{stuck.Length} run(s) were stuck at chance ({Named(stuck)}): their training accuracy never left chance, or their outputs " +
                          "were the same for every image, so these networks never trained; their test accuracy says nothing about memorization or " +
                          "generalization (\"never trained\", not \"did not memorize\")." + TrainingModeOnlySentence(stuck));
            if (collapsed.Length > 0)
                parts.Add($"{collapsed.Length} run(s) collapsed ({Named(collapsed)}): their training accuracy reached " +
                          $"{ExperimentAnalysis.Percent(TrainingOutcomeRules.CollapseFrom)} or more and then fell back to chance" + AfterCollapseSentence(collapsed));
            t.Paragraph($"Warning: {stuck.Length + collapsed.Length} of {finished.Length} finished runs did not train normally. " + string.Join(" ", parts) +
                        " They are labelled in runs.csv, outcomes.csv and the run table, marked in F1 and F2, and every statistic below says " +
                        "whether it is over all finished runs or over the runs that learned.");
        }
        else if (finished.All(r => r.Measures.Outcome is not null))
            t.Paragraph($"All {finished.Length} finished runs learned: none was stuck at chance or collapsed, so statistics over all runs " +
                        "and over the runs that learned are the same.");
    }

    /// <summary>
    /// What the collapsed runs' final numbers describe: a broken network, unless the run recovered (back at the collapse
    /// threshold by its last epoch), in which case they describe a network that trained again.
    /// </summary>
    private static string AfterCollapseSentence(ReportRun[] collapsed)
    {
        int n = collapsed.Length, recovered = collapsed.Count(r => r.Measures.Outcome!.Recovered);
        const string broken = "describe a broken network (typically dead ReLU units), not one that stopped memorizing";
        string back = $"back at {ExperimentAnalysis.Percent(TrainingOutcomeRules.CollapseFrom)} or more by the last epoch";
        const string counted = "in the statistics over all runs, not in those over the runs that learned";
        return recovered == 0 ? $", so their final numbers {broken}."
            : recovered == n && n == 1 ? $". It recovered: its training accuracy was {back}, so its final numbers describe a network that trained again after the collapse ({counted})."
            : recovered == n ? $". {(n == 2 ? "Both" : $"All {n}")} recovered: their training accuracy was {back}, so their final numbers describe networks that trained again after the collapse ({counted})."
            : $". {recovered} of them recovered (training accuracy {back}: their final numbers describe networks that trained again, {counted}); the final numbers of the other {n - recovered} {broken}.";
    }

    /// <summary>For stuck runs that fit only in training mode: that they did train, and why inference does not show it.</summary>
    private static string TrainingModeOnlySentence(ReportRun[] stuck)
    {
        int n = stuck.Count(r => r.Measures.Outcome!.Note == ReportedOutcome.TrainingModeOnly);
        return n == 0 ? ""
            : $" {n} of them fit only in training mode: their running accuracy over the training batches rose " +
              $"{Pp(TrainingOutcomeRules.TrainingModeOnlyMargin)} or more above chance, but batch norm's moving averages or dropout " +
              "did not carry the fit to inference: they trained, but the network as evaluated did not.";
    }

    /// <summary>
    /// Per group, how many finished runs learned, were stuck at chance (and how many of those have a note, e.g. "2 (2 fit
    /// only in training mode)") or collapsed (and when, and how many recovered), or could not be judged.
    /// </summary>
    private static void OutcomeTable(ReportText t, ExperimentAnalysis a)
    {
        bool unjudged = a.Groups.Any(g => g.NotJudged.Count > 0);
        t.Table(unjudged
                ? ["group", "finished", "learned", "stuck at chance", "collapsed", "collapse epochs", "not judged"]
                : ["group", "finished", "learned", "stuck at chance", "collapsed", "collapse epochs"],
            a.Groups.Where(g => g.Finished.Count > 0).Select(g =>
            {
                var c = g.With(TrainingOutcome.Collapsed);
                var row = new List<string>
                {
                    g.Key, g.Finished.Count.ToString(Inv), g.Learned.Count.ToString(Inv),
                    WithNotes(g.With(TrainingOutcome.StuckAtChance)), WithNotes(c),
                    c.Count == 0 ? "—" : string.Join(", ", c.Select(r => r.Measures.Outcome!.CollapseEpoch is int e ? e.ToString(Inv) : "?")),
                };
                if (unjudged) row.Add(g.NotJudged.Count.ToString(Inv));
                return (IReadOnlyList<string>)row;
            }));
    }

    /// <summary>For runs finished by a build older than the outcome: that the report judged them, and against which chance level.</summary>
    private static void JudgedByReportNote(ReportText t, ReportRun[] finished)
    {
        var judged = finished.Where(r => r.Measures.Outcome is { JudgedByReport: true }).ToArray();
        if (judged.Length == 0) return;
        int byClasses = judged.Count(r => r.Measures.Outcome!.ChanceBasis == ReportedOutcome.ChanceFromClasses);
        int byCounts = judged.Length - byClasses;
        var bases = new List<string>();
        if (byCounts > 0) bases.Add($"the majority share of the training labels recorded in run.yaml for {byCounts} run(s)");
        if (byClasses > 0) bases.Add($"1 / number of classes in run.yaml for {byClasses} run(s) (exact only for a balanced training set)");
        string note = $"Note: {judged.Length} finished run(s) have no outcome in status.json (finished by a build older than the outcome): " +
                      "the report judged them itself from their metrics.csv with the same rules, against chance = " + string.Join(" and ", bases) + ".";
        int noSpread = judged.Count(r => !r.Files.Metrics.Has(MetricColumns.LogitSpread));
        if (noSpread > 0)
            note += $" {noSpread} of them have no logit_spread column, so constant outputs could not be detected for them, only training accuracy at chance.";
        t.Paragraph(note);
    }

    private static string Named(IReadOnlyList<ReportRun> runs)
    {
        string One(ReportRun r) => $"{r.Measures.Group} seed {r.Measures.Seed.ToString(Inv)}, run {r.Measures.RunId}" +
                                   (r.Measures.Outcome?.CollapseEpoch is int e ? $", at epoch {e.ToString(Inv)}" : "") +
                                   (r.Measures.Outcome?.Note is { } note ? $", {note}" : "");
        string named = string.Join("; ", runs.Take(NamedRunsLimit).Select(One));
        return runs.Count > NamedRunsLimit ? named + $"; and {runs.Count - NamedRunsLimit} more, see outcomes.csv" : named;
    }

    private static string WithNotes(IReadOnlyList<ReportRun> runs) => ReportedOutcome.CountWithNotes(runs.Select(r => r.Measures.Outcome).ToArray());

    private static string Pp(double fraction) => (fraction * 100).ToString("0.#", Inv) + " points";

    private static void Data(ReportText t, ExperimentAnalysis a)
    {
        var synthetic = a.Groups.Where(g => g.SyntheticPreset is not null).ToArray();
        if (synthetic.Length == 0) return;
        t.Heading(2, "Data");
        t.Paragraph("These runs trained on synthetic images from the harness's generator, not on the published microscopy images, " +
                    "so the numbers test the pipeline and the statistics, not the published biology. The generator's Bayes-optimal " +
                    "accuracy is the ceiling any classifier can reach on these data.");
        t.Table(["group", "synthetic preset", "Bayes-optimal accuracy"], synthetic.Select(g => (IReadOnlyList<string>)
            [g.Key, g.SyntheticPreset!, g.BayesOptimalAccuracy is double b ? ExperimentAnalysis.Percent(b) : "not recorded"]));
    }

    private static string GroupSentence(ExperimentAnalysis a, ConditionGroup g)
    {
        int n = g.Finished.Count;
        if (n == 0) return $"{g.Key}: no finished run ({g.Runs.Count} started); nothing to report.";
        var test = a.SummaryOf(g.Key, "final_test_accuracy");
        var train = a.SummaryOf(g.Key, "final_train_accuracy");
        var gap = a.SummaryOf(g.Key, "generalization_gap");
        var peak = a.SummaryOf(g.Key, "peak_test_accuracy");
        var drop = a.SummaryOf(g.Key, "drop_from_peak");
        var memo = a.SummaryOf(g.Key, "memorization_epoch");
        int k = g.Memorization.Events;
        string rests = n == 1 ? "one run" : $"n = {n}";
        string text;
        if (g.Memorization.Median is int median)
            text = $"{g.Key} memorized: clean training accuracy reached 100 % by epoch {median} (Kaplan–Meier median; earliest epoch " +
                   $"{memo.Min.ToString("0", Inv)}) in {k} of {n} runs while final test accuracy was {Pct(test)} ({rests}).";
        else
            text = $"{g.Key} did not memorize in most runs: clean training accuracy reached 100 % in {k} of {n} runs; " +
                   $"final training accuracy was {Pct(train)} and final test accuracy {Pct(test)} ({rests}).";
        text += $" The generalization gap (final train − test) was {PointPct(gap)}.";
        if (!double.IsNaN(drop.Mean) && drop.Mean > 0)
            text += $" Test accuracy peaked at {ExperimentAnalysis.Percent(peak.Mean)} on average and fell by {PointPct(drop)} by the last epoch.";
        if (g.BayesOptimalAccuracy is double bayes)
            text += $" The synthetic data allow at most {ExperimentAnalysis.Percent(bayes)} (Bayes-optimal).";
        if (ExperimentAnalysis.RepeatedTrainingImages(g) is { } repeated) text += " " + repeated;
        if (g.AllLearned)
            return text + $" All {n} finished runs learned (none stuck at chance or collapsed).";
        // Some runs did not train normally: lead with both numbers, so that neither is read without the other.
        var learned = a.SummaryOf(g.Key, "final_test_accuracy", RunSet.Learned);
        int stuck = g.With(TrainingOutcome.StuckAtChance).Count, collapsed = g.With(TrainingOutcome.Collapsed).Count;
        string head = $"{g.Key}: final test accuracy {Pct(test)} over all {n} finished runs; " +
                      (g.Learned.Count == 0 ? "no run learned" : $"{Pct(learned)} over the {g.Learned.Count} run(s) that learned") +
                      $" ({stuck} stuck at chance, {collapsed} collapsed" + (g.NotJudged.Count > 0 ? $", {g.NotJudged.Count} not judged" : "") + ").";
        return head + " Over all finished runs: " + text;
    }

    private static string ComparisonSentence(ConditionComparison c)
    {
        string head = $"Final test accuracy, {c.GroupA} − {c.GroupB}, over {(c.Runs == RunSet.All ? "all finished runs" : "the runs that learned")}: ";
        if (double.IsNaN(c.Difference))
            return head + (c.Runs == RunSet.All ? "not estimable (a group has no finished run)." : "not estimable (a group has no run that learned).");
        string text = head + $"{PointsOf(c.Difference)}";
        text += c.DifferenceCi is { } ci ? $" [95 % CI {N1(ci.Low * 100)} to {N1(ci.High * 100)}]" : " (no interval: a group has fewer than two runs)";
        var tests = new List<string>();
        if (c.Welch is { } w) tests.Add($"Welch t = {N2(w.T)}, df = {N1(w.DegreesOfFreedom)}, p {P(w.P)}");
        if (c.MannWhitney is { } u) tests.Add($"Mann–Whitney U = {N1(u.U)}, p {P(u.P)} ({u.Method})");
        if (!double.IsNaN(c.CohensD)) tests.Add($"Cohen's d = {N2(c.CohensD)}");
        if (!double.IsNaN(c.CliffsDelta)) tests.Add($"Cliff's δ = {N2(c.CliffsDelta)}");
        text += tests.Count > 0 ? $" ({string.Join("; ", tests)})." : ".";
        if (c.Welch is null || c.MannWhitney is null)
            text += $" No test: it needs at least two runs per group with some variance (n = {c.NA} and {c.NB}).";
        return text;
    }

    private static void Published(ReportText t, ExperimentAnalysis a)
    {
        t.Heading(2, "Published and reproduced");
        t.Paragraph($"Published numbers from {a.PublishedSource}. \"Inside\" says whether the published value falls in the 95 % interval of the reproduced estimate.");
        t.Table(["condition", "measure", "published", "reproduced [95 % CI]", "n", "inside", "note"],
            a.Published.Select(p => (IReadOnlyList<string>)
            [
                p.Group ?? p.Condition, p.Measure, Value(p.Measure, p.Published),
                double.IsNaN(p.Reproduced) ? "—" : Value(p.Measure, p.Reproduced) + (p.Ci is { } ci ? $" [{Value(p.Measure, ci.Low)}, {Value(p.Measure, ci.High)}]" : ""),
                p.N.ToString(Inv), p.Ci is { } c && p.Inside is not null ? c.InsideWord(p.Published, v => Value(p.Measure, v)) : "—",
                string.IsNullOrEmpty(p.Note) ? p.Comment : $"{p.Comment}. Published: {p.Note}",
            ]));
    }

    private static void Controls(ReportText t, ExperimentAnalysis a)
    {
        t.Heading(2, "Controls");
        t.Paragraph("Time to fit each memorization control (Zhang et al. 2017; Arpit et al. 2017): the Kaplan–Meier median memorization epoch, " +
                    "and its ratio to that of true labels on the same data, architecture and colour mode (slowdown).");
        t.Table(["control", "kind", "p", "n", "memorized", "median epoch", "true-label median", "slowdown", "final test accuracy [95 % CI]"],
            a.Controls.Select(c => (IReadOnlyList<string>)
            [
                c.Group, c.Kind, c.Fraction.ToString("0.##", Inv), c.N.ToString(Inv), c.Memorized.ToString(Inv),
                c.MedianEpoch is int m ? m.ToString(Inv) : "not reached",
                c.Baseline is null ? "no true-label group" : c.BaselineMedianEpoch is int bm ? $"{bm} ({c.Baseline})" : $"not reached ({c.Baseline})",
                c.Slowdown is double s ? s.ToString("0.00", Inv) + "×" : "—",
                Pct(c.TestAccuracy),
            ]));
    }

    private static bool IsEpoch(string measure) => measure is "memorization_epoch" or "peak_epoch";

    private static bool IsDifference(string measure) => measure is "generalization_gap" or "drop_from_peak";

    private static string Value(string measure, double v) =>
        double.IsNaN(v) ? "n/a"
        : IsEpoch(measure) ? v.ToString("0.0", Inv)
        : IsDifference(measure) ? Points(v)
        : measure == "final_ece" ? v.ToString("0.000", Inv)
        : ExperimentAnalysis.Percent(v);

    /// <summary>A difference of two accuracies in percentage points (0.34 → "34.0 pp").</summary>
    private static string Points(double fraction) => (fraction * 100).ToString("0.0", Inv) + " pp";

    /// <summary>A difference of means of a measure: epochs for epoch measures, percentage points otherwise.</summary>
    private static string Difference(string measure, double v) =>
        double.IsNaN(v) ? "n/a" : IsEpoch(measure) ? v.ToString("0.0", Inv) : measure == "final_ece" ? v.ToString("0.000", Inv) : Points(v);

    private static string NoInterval(int n) => n == 0 ? "n/a" : "none (n = 1)";

    private static string Pct(Summary s) =>
        s.N == 0 ? "n/a"
        : ExperimentAnalysis.Percent(s.Mean) + (s.Ci is { } ci ? $" [95 % CI {ExperimentAnalysis.Percent(ci.Low)} – {ExperimentAnalysis.Percent(ci.High)}]" : " (no interval from one run)");

    private static string PointsOf(double fraction) => (fraction * 100).ToString("0.0", Inv) + " percentage points";

    private static string PointPct(Summary s) =>
        s.N == 0 ? "n/a"
        : PointsOf(s.Mean) + (s.Ci is { } ci ? $" [95 % CI {(ci.Low * 100).ToString("0.0", Inv)} to {(ci.High * 100).ToString("0.0", Inv)}]" : "");

    private static string N1(double v) => double.IsNaN(v) ? "" : v.ToString("0.0", Inv);
    private static string N2(double v) => double.IsNaN(v) ? "" : v.ToString("0.00", Inv);
    private static string P(double p) => p < 0.001 ? "< 0.001" : "= " + p.ToString("0.000", Inv);
}
