using System.Globalization;
using Harness.Training;

namespace Harness.Reporting;

/// <summary>
/// The six findings of the published study (shared/reference/published-results.md), each judged from the analyses
/// of the experiments it rests on by a rule stated in its paragraph. The published values are those of the reference
/// table; the reproduced ones are the means over all finished runs of <see cref="ExperimentAnalysis"/>.
/// </summary>
internal static class StudyFindings
{
    /// <summary>"About X" is met when X lies in the 95 % interval of the reproduced mean or within this distance of it.</summary>
    public const double AboutTolerance = 0.05;

    /// <summary>A generalization gap (clean training − test accuracy) above this is "severe overfitting".</summary>
    public const double SevereGap = 0.10;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static IReadOnlyList<StudyFinding> Judge(IReadOnlyList<StudyEntry> entries, ReportOptions options, AnchorReading anchor = default)
    {
        StudyEntry? Find(string name) => entries.FirstOrDefault(e => e.Experiment.Name == name);
        return
        [
            SnapGeneralizes(Find("snf7_vs_snap29")),
            SnfMemorizes(Find("snf7_vs_snap29"), Find("snf7_real")),
            Monocolour(Find("snf7_vs_snap29_mono"), Find("snf7_vs_snap29"), options),
            AlexNet(Find("snf7_vs_snap29_alexnet"), Find("snf7_vs_snap29")),
            FashionMnist(Find("fashion_mnist"), anchor),
            Cifar(Find("cifar10_dropout")),
        ];
    }

    private static StudyFinding SnapGeneralizes(StudyEntry? e)
    {
        const string title = "Snap29 generalizes (high test accuracy)";
        const string exp = "snf7_vs_snap29";
        if (Missing(e, exp, "snap29") is { } why) return NotRun(1, title, [exp], why);
        var (a, g) = (e!.Analysis!, Group(e, "snap29")!);
        var test = a.SummaryOf(g.Key, "final_test_accuracy");
        var train = a.SummaryOf(g.Key, "final_train_accuracy");
        var running = a.SummaryOf(g.Key, "final_train_accuracy_running");
        bool ok = test.Mean >= 0.90;
        string text = "Published: mean test accuracy about 96 % over about a dozen runs (another version: > 90 %), training accuracy about 94 % after epoch 9. " +
                      $"Reproduced ({exp}, {Runs(g)}): mean final test accuracy {Mean(test)}, 96 % {Inside(test, 0.96)}; mean final clean training accuracy {Mean(train)}" +
                      $"{Epochs(g)}" + (double.IsNaN(running.Mean) ? "" : $", running (training-mode, as Keras reported it) {Mean(running)}, 94 % {Inside(running, 0.94)}") +
                      $".{Ceiling(g)} Rule: reproduced when the mean final test accuracy over all finished runs is at least 90 % (the lower published version). " +
                      (ok ? $"It is ({Pct(test.Mean)}): reproduced." : $"It is not ({Pct(test.Mean)} < 90 %){WhyLow(g)}: not reproduced.") +
                      Straddles(test, 0.90) + Single(test);
        return new StudyFinding(1, title, [exp], ok ? StudyVerdict.Reproduced : StudyVerdict.NotReproduced, text);
    }

    private static StudyFinding SnfMemorizes(StudyEntry? synthetic, StudyEntry? real)
    {
        const string title = "Snf7 memorizes (training 100 % by epoch 3, test about 62 %)";
        // The synthetic stand-in is the default experiment; the public Snf7 images decide when only they were run.
        var e = Missing(synthetic, "snf7_vs_snap29", "snf7") is null ? synthetic : Missing(real, "snf7_real", "snf7") is null ? real : null;
        if (e is null)
            return NotRun(2, title, ["snf7_vs_snap29", "snf7_real"],
                $"{Missing(synthetic, "snf7_vs_snap29", "snf7")}; {Missing(real, "snf7_real", "snf7")}");
        string exp = e.Experiment.Name;
        var (a, g) = (e.Analysis!, Group(e, "snf7")!);
        var test = a.SummaryOf(g.Key, "final_test_accuracy");
        int? median = g.Memorization.Median;
        int last = g.Finished.Max(r => r.Measures.LastEpoch);
        bool memorized = median is int m && m <= 3;
        bool near = Near(test, 0.62);
        bool ok = memorized && near;
        string text = "Published: Snf7 training accuracy 100 % by epoch 3 and staying there, mean test accuracy 62 % (best run 66 %; a blinded human expert 70.7 %). " +
                      $"Reproduced ({exp}, {Runs(g)}): {g.Memorization.Events} of {g.Memorization.N} runs reached 100 % clean training accuracy, " +
                      $"Kaplan–Meier median memorization epoch {(median is int md ? md.ToString(Inv) : "not reached")}{(last < 3 ? $" (the runs stopped at epoch {last}, before epoch 3)" : "")}; " +
                      $"mean final test accuracy {Mean(test)}, 62 % {Inside(test, 0.62)}.{Ceiling(g)}" +
                      (ExperimentAnalysis.RepeatedTestImages(g) is { } repeated ? $" Test images: {repeated}" : "") + " " +
                      $"Rule: reproduced when the median memorization epoch is at most 3 and the mean test accuracy is about 62 % (62 % inside its 95 % CI or within {Pp(AboutTolerance)}). " +
                      (ok ? "Both hold: reproduced."
                          : $"{(memorized ? "" : "The runs did not memorize by epoch 3")}{(!memorized && !near ? " and t" : memorized ? "T" : "")}{(near ? "" : $"he test accuracy is not about 62 % ({Pct(test.Mean)})")}: not reproduced.") +
                      Single(test);
        return new StudyFinding(2, title, [exp], ok ? StudyVerdict.Reproduced : StudyVerdict.NotReproduced, text);
    }

    private static StudyFinding Monocolour(StudyEntry? mono, StudyEntry? colour, ReportOptions options)
    {
        const string title = "Monocolour gives nearly identical results (deep-50)";
        const string exp = "snf7_vs_snap29_mono";
        if (Missing(mono, exp, "snap29", "snf7") is { } why) return NotRun(3, title, [exp], why);
        var a = mono!.Analysis!;
        bool withColour = Missing(colour, "snf7_vs_snap29", "snap29", "snf7") is null;
        var parts = new List<string>();
        var straddled = new List<string>(); // conditions whose difference interval holds the tolerance
        bool ok = true;
        foreach (var (condition, published) in new[] { ("snap29", 0.96), ("snf7", 0.62) })
        {
            var g = Group(mono, condition)!;
            var s = a.SummaryOf(g.Key, "final_test_accuracy");
            double reference;
            string against;
            if (withColour)
            {
                var cg = Group(colour!, condition)!;
                var cmp = ConditionComparison.Of("final_test_accuracy", $"{condition} mono", g.Values("final_test_accuracy"),
                    $"{condition} colour", cg.Values("final_test_accuracy"), options.BootstrapResamples, options.Seed);
                reference = colour!.Analysis!.SummaryOf(cg.Key, "final_test_accuracy").Mean;
                against = $"colour {Pct(reference)}, difference {Pp(cmp.Difference)}" +
                          (cmp.DifferenceCi is { } ci ? $" [95 % CI {Pp(ci.Low)}, {Pp(ci.High)}]" : "");
                if (cmp.DifferenceCi is { } d && (d.Contains(AboutTolerance) || d.Contains(-AboutTolerance))) straddled.Add(condition);
            }
            else
            {
                reference = published;
                against = $"published colour value {Pct(published)}";
            }
            bool close = Math.Abs(s.Mean - reference) <= AboutTolerance;
            ok &= close;
            parts.Add($"{condition} monocolour {Mean(s)} over {Runs(g)} against the {against}: {(close ? "within" : "not within")} {Pp(AboutTolerance)}");
        }
        double snap = a.SummaryOf(Group(mono, "snap29")!.Key, "final_test_accuracy").Mean, snf = a.SummaryOf(Group(mono, "snf7")!.Key, "final_test_accuracy").Mean;
        bool split = snap > snf;
        ok &= split;
        string text = "Published: with a monocolour version of both datasets and the deeper network (deep-50), test accuracy was nearly identical to the colour results " +
                      "(Snap29 about 96 %, Snf7 62 %), so the split is a property of the data, not of colour. " +
                      $"Reproduced ({exp}): {string.Join("; ", parts)}; Snap29 {(split ? "above" : "not above")} Snf7. " +
                      $"Rule: reproduced when each condition's mean final test accuracy is within {Pp(AboutTolerance)} of the colour one " +
                      (withColour ? "(snf7_vs_snap29 as reproduced here)" : "(the published values: snf7_vs_snap29 has no finished runs to compare with)") +
                      " and Snap29 stays above Snf7. " + (ok ? "All hold: reproduced." : "Not all hold: not reproduced.") +
                      (straddled.Count == 0 ? "" : $" For {string.Join(" and ", straddled)} the {Pp(AboutTolerance)} lie inside the difference's 95 % CI, " +
                                                   "so the verdict rests on the point estimates: another sweep of as many seeds could turn it.");
        return new StudyFinding(3, title, withColour ? [exp, "snf7_vs_snap29"] : [exp], ok ? StudyVerdict.Reproduced : StudyVerdict.NotReproduced, text);
    }

    private static StudyFinding AlexNet(StudyEntry? alex, StudyEntry? deep)
    {
        const string title = "The AlexNet clone overfits both datasets, with lower test accuracy";
        const string exp = "snf7_vs_snap29_alexnet";
        if (Missing(alex, exp, "snap29", "snf7") is { } why) return NotRun(4, title, [exp, "snf7_vs_snap29"], why);
        if (Missing(deep, "snf7_vs_snap29", "snap29", "snf7") is { } deepWhy)
            return NotRun(4, title, [exp, "snf7_vs_snap29"], $"the comparison with deep needs snf7_vs_snap29: {deepWhy}");
        var a = alex!.Analysis!;
        var parts = new List<string>();
        bool ok = true;
        foreach (var condition in new[] { "snap29", "snf7" })
        {
            var g = Group(alex, condition)!;
            var test = a.SummaryOf(g.Key, "final_test_accuracy");
            var gap = a.SummaryOf(g.Key, "generalization_gap");
            double deepTest = deep!.Analysis!.SummaryOf(Group(deep, condition)!.Key, "final_test_accuracy").Mean;
            bool lower = test.Mean < deepTest, severe = gap.Mean > SevereGap;
            ok &= lower && severe;
            // Keras showed the running training accuracy, so the published "severe overfitting" was seen against that one.
            double running = a.SummaryOf(g.Key, "final_train_accuracy_running").Mean - test.Mean;
            parts.Add($"{condition}: test {Mean(test)} against deep's {Pct(deepTest)} ({(lower ? "lower" : "not lower")}), " +
                      $"gap {Pp(gap.Mean)} ({(severe ? "severe" : "not severe")}" +
                      (double.IsNaN(running) ? "" : $"; {Pp(running)} from the running training accuracy Keras reported") + $"; {Runs(g)})");
        }
        string faster = Faster(alex);
        string text = "Published (a shape, no numbers): with the AlexNet clone and its SGD, both datasets overfit severely, Snf7's training accuracy rises faster, " +
                      "and test accuracy is lower than with deep for both. " +
                      $"Reproduced ({exp} against snf7_vs_snap29): {string.Join("; ", parts)}.{faster} " +
                      $"Rule: reproduced when, for both conditions, the mean final test accuracy is below deep's and the mean generalization gap (clean training − test accuracy) exceeds {Pp(SevereGap)}. " +
                      (ok ? "Both hold for both: reproduced." : "Not all hold: not reproduced.");
        return new StudyFinding(4, title, [exp, "snf7_vs_snap29"], ok ? StudyVerdict.Reproduced : StudyVerdict.NotReproduced, text);
    }

    private static StudyFinding FashionMnist(StudyEntry? e, AnchorReading anchor)
    {
        const string title = "Fashion-MNIST: deep > 91 %, AlexNet about 72 %";
        const string exp = "fashion_mnist";
        if (Missing(e, exp, "deep_fmnist", "alexnet_fmnist") is { } why)
        {
            var notRun = NotRun(5, title, [exp], why);
            return notRun with { Paragraph = notRun.Paragraph + Anchored(anchor, null) };
        }
        var a = e!.Analysis!;
        var (dg, ag) = (Group(e, "deep_fmnist")!, Group(e, "alexnet_fmnist")!);
        var (deep, alex) = (a.SummaryOf(dg.Key, "final_test_accuracy"), a.SummaryOf(ag.Key, "final_test_accuracy"));
        bool deepOk = deep.Mean > 0.91, alexOk = Near(alex, 0.72);
        bool ok = deepOk && alexOk;
        string text = "Published: deep-fmnist reached over 91 % test accuracy without tuning; alexnet-fmnist about 72 %. " +
                      $"Reproduced ({exp}): deep_fmnist {Mean(deep)} over {Runs(dg)}{Epochs(dg)}; alexnet_fmnist {Mean(alex)} over {Runs(ag)}{Epochs(ag)}, 72 % {Inside(alex, 0.72)}. " +
                      $"Rule: reproduced when deep_fmnist's mean final test accuracy exceeds 91 % and alexnet_fmnist's is about 72 % (inside its 95 % CI or within {Pp(AboutTolerance)}). " +
                      (ok ? "Both hold: reproduced." : $"{(deepOk ? "" : "deep_fmnist is not above 91 %")}{(!deepOk && !alexOk ? "; " : "")}{(alexOk ? "" : "alexnet_fmnist is not about 72 %")}: not reproduced.") +
                      Straddles(deep, 0.91) + Single(deep) + Anchored(anchor, deep);
        return new StudyFinding(5, title, [exp], ok ? StudyVerdict.Reproduced : StudyVerdict.NotReproduced, text);
    }

    /// <summary>
    /// What the same set-up gave in plain PyTorch (make fmnist-anchor), and what that says of a shortfall: the set-up's
    /// when PyTorch falls short of the published number too, the harness's when only the harness does.
    /// </summary>
    private static string Anchored(AnchorReading reading, Summary? deep)
    {
        if (reading.Problem is { } problem && reading.Anchor is null)
            return $" The PyTorch anchor could not be read: {problem}.";
        if (reading.Anchor is not { } anchor)
            return deep is { } d && d.Mean <= 0.91
                ? $" To tell a shortfall of the published set-up from one of the harness, make fmnist-anchor trains the same set-up in plain PyTorch (RESULTS/{FrameworkAnchor.FileName}), and the study puts it here."
                : "";
        string Variant(FrameworkAnchor.Group g) => g.Adam switch { "torch" => " with PyTorch's Adam (as the harness)", "keras" => " with Keras's Adam (epsilon outside the bias correction)", _ => "" };
        string Described(FrameworkAnchor.Group g) =>
            $"{Pct(g.Mean)} over {g.FinalTestAccuracies.Count} run(s) after {g.Epochs} epoch(s){Variant(g)}" + (g.CutShort > 0 ? $" ({g.CutShort} run(s) stopped earlier left out)" : "");
        var parts = new List<string>();
        foreach (var workload in new[] { "deep-fmnist", "alexnet-fmnist" })
        {
            var groups = anchor.Of(workload).ToArray();
            if (groups.Length == 0) continue;
            string part = $"{workload} {string.Join("; ", groups.Select(Described))}";
            // Only deep-fmnist's published number (> 91 %) is a threshold the harness can fall short of.
            if (workload == "deep-fmnist" && deep is { } h && h.Mean <= 0.91)
                part += groups.Any(g => g.Mean > 0.91)
                    ? $", above {Pct(0.91)} where the harness is not: the shortfall is the harness's (make parity compares the trainers step by step)"
                    : $", below {Pct(0.91)} too: the shortfall belongs to the published set-up, not to the harness's trainer";
            parts.Add(part);
        }
        string damaged = reading.Problem is { } p ? $" (the file is damaged: {p})" : "";
        return parts.Count == 0 ? $" The PyTorch anchor {anchor.Path} holds no finished Fashion-MNIST run{damaged}."
            : $" The same set-up in plain PyTorch (make fmnist-anchor, {anchor.Path}{damaged}): {string.Join(". ", parts)}.";
    }

    private static StudyFinding Cifar(StudyEntry? e)
    {
        const string title = "CIFAR-10: cifar-dropout about 53 %";
        const string exp = "cifar10_dropout";
        if (Missing(e, exp, "cifar10") is { } why) return NotRun(6, title, [exp], why);
        var g = Group(e!, "cifar10")!;
        var s = e!.Analysis!.SummaryOf(g.Key, "final_test_accuracy");
        bool ok = Near(s, 0.5307);
        string text = "Published: cifar-dropout trained on 5,000 images for 20 epochs reached 53.07 % on the 10,000 test images. " +
                      $"Reproduced ({exp}, {Runs(g)}): mean final test accuracy {Mean(s)}{Epochs(g)}, 53.07 % {Inside(s, 0.5307)}. " +
                      $"Rule: reproduced when 53.07 % lies inside the 95 % CI of the mean or within {Pp(AboutTolerance)} of it. " +
                      (ok ? "It does: reproduced." : "It does not: not reproduced.") + Single(s);
        return new StudyFinding(6, title, [exp], ok ? StudyVerdict.Reproduced : StudyVerdict.NotReproduced, text);
    }

    /// <summary>Why an experiment cannot be judged for these conditions, or null when each has finished runs.</summary>
    private static string? Missing(StudyEntry? e, string name, params string[] conditions)
    {
        if (e is null) return $"{name} was not part of this study";
        if (e.Analysis is null) return $"{name}: {e.NotRunReason}";
        var absent = conditions.Where(c => Group(e, c) is not { Finished.Count: > 0 }).ToArray();
        return absent.Length == 0 ? null : $"{name} has no finished run of {string.Join(" or ", absent)}";
    }

    /// <summary>The true-data group of a condition (controls never stand for a published condition).</summary>
    private static ConditionGroup? Group(StudyEntry e, string condition) =>
        e.Analysis?.Groups.FirstOrDefault(g => g.Control is null && string.Equals(g.Condition, condition, StringComparison.OrdinalIgnoreCase));

    private static StudyFinding NotRun(int number, string title, IReadOnlyList<string> experiments, string why) =>
        new(number, title, experiments, StudyVerdict.NotRun, $"Not run: {why}. Nothing is concluded about this finding.");

    private static bool Near(Summary s, double published) =>
        s.N > 0 && (s.Ci?.Contains(published) == true || Math.Abs(s.Mean - published) <= AboutTolerance);

    /// <summary>
    /// Whether Snf7's training accuracy rises faster than Snap29's, by the height of each group's mean curve averaged over
    /// the epochs: for the running (training-mode) accuracy Keras reported, which the published curves show, and for the
    /// clean accuracy. With dropout and batch norm the two can disagree, so both are given; neither enters the rule.
    /// </summary>
    private static string Faster(StudyEntry alex)
    {
        var parts = new List<string>();
        var verdicts = new List<string>();
        foreach (var (label, running) in new[] { ("running (training mode, as Keras reported it and the published curves show it)", true), ("clean", false) })
        {
            if (CurveHeight(alex, "snf7", running) is not double f || CurveHeight(alex, "snap29", running) is not double s) continue;
            parts.Add($"{label}: Snf7 {Pct(f)}, Snap29 {Pct(s)}");
            verdicts.Add($"by the {(running ? "running" : "clean")} accuracy {(f > s ? "so here too" : "not so here")}");
        }
        return parts.Count == 0 ? ""
            : $" Training accuracy averaged over the epochs (mean curves of the runs that learned), {string.Join("; ", parts)} " +
              $"(published: Snf7 rises faster; {string.Join(", ", verdicts)}; not part of the rule).";
    }

    /// <summary>The mean over epochs of a group's mean training-accuracy curve (running or clean), or null when it has none.</summary>
    private static double? CurveHeight(StudyEntry e, string condition, bool running)
    {
        var bands = Group(e, condition) is { } g ? (running ? g.RunningTrainAccuracy : g.TrainAccuracy) : [];
        var means = bands.Select(b => b.Mean).Where(v => !double.IsNaN(v)).ToArray();
        return means.Length > 0 ? means.Average() : null;
    }

    private static string Runs(ConditionGroup g)
    {
        var collapsed = g.With(TrainingOutcome.Collapsed);
        int recovered = collapsed.Count(r => r.Measures.Outcome?.Recovered == true);
        return $"{g.Finished.Count} finished run(s): {g.With(TrainingOutcome.Learned).Count} learned, {g.With(TrainingOutcome.StuckAtChance).Count} stuck at chance, " +
               $"{collapsed.Count} collapsed" + (recovered > 0 ? $" ({recovered} of them recovered)" : "");
    }

    private static string Epochs(ConditionGroup g)
    {
        int last = g.Finished.Max(r => r.Measures.LastEpoch), planned = g.Finished.Max(r => r.Measures.EpochsPlanned);
        return $" after {last} epoch(s)" + (last < planned ? $" of {planned} planned" : "");
    }

    private static string Ceiling(ConditionGroup g) =>
        g.BayesOptimalAccuracy is double b ? $" The data are the synthetic {g.SyntheticPreset} stand-in, whose Bayes-optimal accuracy is {Pct(b)}." : "";

    private static string WhyLow(ConditionGroup g)
    {
        int notLearned = g.Finished.Count - g.Learned.Count;
        return notLearned > 0 ? $"; {notLearned} of {g.Finished.Count} runs did not learn" : "";
    }

    /// <summary>
    /// A verdict at a threshold that lies inside the interval of the mean rests on the point estimate alone: another
    /// sweep of as many seeds (or the same runs with other rounding, e.g. fused) could land on the other side.
    /// </summary>
    private static string Straddles(Summary s, double threshold) =>
        s.Ci is { } ci && ci.Contains(threshold)
            ? $" {Pct(threshold)} lies inside the 95 % CI, so the verdict rests on the point estimate: another sweep of as many seeds could turn it."
            : "";

    private static string Single(Summary s) =>
        s.N == 1 ? " It rests on a single run: no interval, so the verdict is weak." : "";

    private static string Mean(Summary s) =>
        Pct(s.Mean) + (s.Ci is { } ci ? $" [95 % CI {Pct(ci.Low)} – {Pct(ci.High)}]" : s.N == 1 ? " (one run, no interval)" : "");

    private static string Inside(Summary s, double published) =>
        s.Ci is { } ci
            ? ci.Contains(published) ? "inside the interval"
            : ci.BoundBeyond(published, Pct) is { } b ? $"outside the interval (it ends at {b})" : "outside the interval"
            : "not tested (no interval)";

    private static string Pct(double v) => ExperimentAnalysis.Percent(v);

    private static string Pp(double v) => double.IsNaN(v) ? "n/a" : (v * 100).ToString("0.0", Inv) + " percentage points";
}
