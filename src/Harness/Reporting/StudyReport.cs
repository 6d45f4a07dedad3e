using System.Globalization;
using Harness.Specs;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Reporting;

/// <summary>
/// Entry point of <c>harness study</c>: one report over every published experiment, <c>results/study/</c> with
/// study.md, study.html, study.csv (each published number against its reproduction), findings.csv (one verdict per
/// published finding) and figures/ (each experiment's figures, copied from its own report). The numbers are those of
/// <see cref="ExperimentAnalysis"/>, the same ones <c>harness report</c> prints; nothing is recomputed differently here.
/// </summary>
public static class StudyReport
{
    /// <summary>The experiments of the published study, in the order the study shows them.</summary>
    public static readonly IReadOnlyList<string> PublishedExperiments =
        ["snf7_vs_snap29", "snf7_vs_snap29_mono", "snf7_vs_snap29_alexnet", "fashion_mnist", "cifar10_dropout", "snf7_real"];

    /// <summary>Columns of study.csv (accuracies as fractions; blank where there is no value).</summary>
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "experiment", "condition", "group", "measure", "published", "reproduced", "n", "ci_low", "ci_high", "inside",
        "runs_finished", "runs_learned", "runs_stuck", "runs_collapsed", "status", "note", "comment",
    ];

    /// <summary>Columns of findings.csv.</summary>
    public static readonly IReadOnlyList<string> FindingsColumns = ["finding", "title", "verdict", "experiments", "paragraph"];

    /// <summary>
    /// Analyses every experiment that has finished runs, and writes the study into <paramref name="outputDirectory"/>;
    /// <paramref name="anchor"/> is the PyTorch run of the Fashion-MNIST set-up (make fmnist-anchor), if any.
    /// </summary>
    public static StudyResult Write(IReadOnlyList<StudyExperiment> experiments, string outputDirectory, ReportOptions options, AnchorReading anchor = default)
    {
        string figures = Path.Combine(outputDirectory, "figures");
        // A figure left from an earlier study of an experiment no longer run would be shown as if current.
        if (Directory.Exists(figures)) Directory.Delete(figures, true);
        Directory.CreateDirectory(figures);
        var entries = experiments.Select(e => Enter(e, options, figures)).ToArray();
        var findings = StudyFindings.Judge(entries, options, anchor);
        var result = new StudyResult(outputDirectory, Path.Combine(outputDirectory, "study.md"), Path.Combine(outputDirectory, "study.html"),
            Path.Combine(outputDirectory, "study.csv"), Path.Combine(outputDirectory, "findings.csv"), entries, findings);

        TidyCsv.Write(result.Csv, CsvColumns, entries.SelectMany(Rows));
        TidyCsv.Write(result.FindingsCsv, FindingsColumns, findings.Select(f => (IReadOnlyList<string>)
            [f.Number.ToString(CultureInfo.InvariantCulture), f.Title, f.VerdictWords, string.Join(" ", f.Experiments), f.Paragraph]));
        var text = Compose(entries, findings);
        AtomicFile.WriteAllText(result.Markdown, text.Markdown);
        AtomicFile.WriteAllText(result.Html, text.Html("The published study, reproduced"));
        return result;
    }

    /// <summary>
    /// The <c>published:</c> block of a spec's text, read without validating the rest (a spec whose data are absent
    /// does not load, yet its published numbers belong in the study); null when there is none or it cannot be read.
    /// </summary>
    public static PublishedSpec? PublishedOf(string specText)
    {
        try
        {
            return RunRecordYaml.Deserialize<SpecPublished>(specText).Published;
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
        {
            return null;
        }
    }

    /// <summary>Only the key the study needs from a spec; every other key is ignored.</summary>
    private sealed record SpecPublished(PublishedSpec? Published);

    private static StudyEntry Enter(StudyExperiment e, ReportOptions options, string figures)
    {
        if (e.NotRunReason is not null) return new StudyEntry(e, null, e.NotRunReason, []);
        if (!Directory.Exists(e.ResultsDirectory)) return new StudyEntry(e, null, $"no results folder {e.ResultsDirectory}", []);
        var layout = new ResultsLayout(e.ResultsDirectory);
        var published = e.Published ?? ReadPublished(layout);
        var analysis = ExperimentAnalysis.Analyze(layout, published, options with { Figures = false });
        int finished = analysis.Runs.Count(r => r.Measures.IsFinished);
        if (finished == 0)
        {
            string why = analysis.Runs.Count == 0 ? $"no run in {e.ResultsDirectory}"
                : $"none of its {analysis.Runs.Count} run(s) finished ({string.Join(", ", analysis.Runs.GroupBy(r => r.Measures.State).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}"))})";
            return new StudyEntry(e with { Published = published }, null, why, []);
        }
        return new StudyEntry(e with { Published = published }, analysis, null, CopyFigures(e.Name, layout, figures));
    }

    /// <summary>The numbers <c>harness run</c> kept beside the results (published.yaml), when the caller had none.</summary>
    private static PublishedSpec? ReadPublished(ResultsLayout layout)
    {
        string path = Path.Combine(layout.ExperimentDirectory, "published.yaml");
        return File.Exists(path) ? RunRecordYaml.Deserialize<PublishedSpec>(File.ReadAllText(path)) : null;
    }

    /// <summary>
    /// The figures of the experiment's own report, copied as figures/EXP_NAME.*: the study shows what
    /// <c>harness report</c> drew rather than drawing them a second time.
    /// </summary>
    private static FigureFile[] CopyFigures(string experiment, ResultsLayout layout, string figures)
    {
        string source = Path.Combine(layout.ReportDirectory, "figures");
        if (!Directory.Exists(source)) return [];
        var copied = new List<FigureFile>();
        foreach (var png in Directory.GetFiles(source, "*.png").Order(StringComparer.Ordinal))
        {
            string stem = Path.GetFileNameWithoutExtension(png);
            string name = $"{experiment}_{stem}";
            foreach (var ext in new[] { ".png", ".svg", ".csv" })
            {
                string from = Path.Combine(source, stem + ext);
                if (File.Exists(from)) File.Copy(from, Path.Combine(figures, name + ext), true);
            }
            string id = stem.Split('_')[0];
            copied.Add(new FigureFile($"{experiment} {id}", name, Path.Combine(figures, name + ".png"), Path.Combine(figures, name + ".svg"),
                Path.Combine(figures, name + ".csv"),
                $"Figure {id} of {experiment} ({stem.Replace('_', ' ')}), as drawn by its report; caption and method in {experiment}/report/report.md."));
        }
        return copied.ToArray();
    }

    private static IEnumerable<IReadOnlyList<string>> Rows(StudyEntry entry)
    {
        string name = entry.Experiment.Name;
        if (entry.Analysis is not { } a)
        {
            foreach (var v in entry.Experiment.Published?.Values ?? [])
                yield return [name, v.Condition, "", v.Measure, TidyCsv.Format(v.Value), "", "0", "", "", "", "0", "0", "0", "0",
                    "not run: " + entry.NotRunReason, v.Note, ""];
            yield break;
        }
        foreach (var p in a.Published)
        {
            var g = a.Groups.FirstOrDefault(x => x.Key == p.Group);
            string Count(TrainingOutcome o) => g is null ? "0" : g.With(o).Count.ToString(CultureInfo.InvariantCulture);
            yield return
            [
                name, p.Condition, p.Group ?? "", p.Measure, TidyCsv.Format(p.Published), double.IsNaN(p.Reproduced) ? "" : TidyCsv.Format(p.Reproduced),
                p.N.ToString(CultureInfo.InvariantCulture), p.Ci is { } ci ? TidyCsv.Format(ci.Low) : "", p.Ci is { } c2 ? TidyCsv.Format(c2.High) : "",
                p.Inside is bool inside ? (inside ? "yes" : "no") : "",
                (g?.Finished.Count ?? 0).ToString(CultureInfo.InvariantCulture), Count(TrainingOutcome.Learned), Count(TrainingOutcome.StuckAtChance),
                Count(TrainingOutcome.Collapsed), double.IsNaN(p.Reproduced) ? "no value" : "compared", p.Note, p.Comment,
            ];
        }
    }

    private static ReportText Compose(IReadOnlyList<StudyEntry> entries, IReadOnlyList<StudyFinding> findings)
    {
        var t = new ReportText();
        var ran = entries.Where(e => e.Ran).ToArray();
        t.Heading(1, "The published study, reproduced");
        t.Paragraph($"This study rests on {ran.Length} of {entries.Count} published experiment(s) with finished runs" +
                    (ran.Length > 0 ? $" ({string.Join("; ", ran.Select(e => $"{e.Experiment.Name}: {e.Analysis!.Runs.Count(r => r.Measures.IsFinished)} finished run(s)"))})" : "") + ". " +
                    (entries.Any(e => !e.Ran) ? $"Not run: {string.Join("; ", entries.Where(e => !e.Ran).Select(e => $"{e.Experiment.Name} ({e.NotRunReason})"))}. " : "") +
                    "Every number comes from the same analysis as each experiment's own report (results/EXP/report/report.md), " +
                    "which states the methods: means over all finished runs with 95 % percentile-bootstrap intervals, training outcomes, Kaplan–Meier memorization. " +
                    "Each verdict below names the rule it applies; a finding whose experiment has no finished run is \"not run\", never guessed.");
        if (ran.Any(e => e.Analysis!.IsSynthetic))
            t.Paragraph("The Snap29 images are not public: experiments on synthetic stand-ins (snap29-like, snf7-like) test whether the " +
                        "harness shows the published pattern on data built like the published data, not the published numbers on the published images.");

        Verdicts(t, findings);
        PublishedTable(t, entries);
        ExperimentTable(t, entries);
        Figures(t, ran);

        t.Heading(2, "Files");
        t.Bullets([
            "study.csv: one row per published number (experiment, condition, group, measure, published, reproduced, n, ci_low, ci_high, inside, runs_finished, runs_learned, runs_stuck, runs_collapsed, status, note, comment); accuracies as fractions.",
            "findings.csv: one row per finding (finding, title, verdict, experiments, paragraph).",
            "figures/: each experiment's figures as EXP_F*.png/.svg/.csv, copied from results/EXP/report/figures.",
        ]);
        return t;
    }

    /// <summary>One verdict per published finding: a table, then each finding's paragraph.</summary>
    private static void Verdicts(ReportText t, IReadOnlyList<StudyFinding> findings)
    {
        t.Heading(2, "Verdicts");
        t.Table(["finding", "verdict", "experiments"], findings.Select(f => (IReadOnlyList<string>)
            [$"{f.Number}. {f.Title}", f.VerdictWords, string.Join(", ", f.Experiments)]));
        foreach (var f in findings)
        {
            t.Heading(3, $"{f.Number}. {f.Title}: {f.VerdictWords}");
            t.Paragraph(f.Paragraph);
        }
    }

    /// <summary>Every published number beside its reproduction (the rows of study.csv).</summary>
    private static void PublishedTable(ReportText t, IReadOnlyList<StudyEntry> entries)
    {
        t.Heading(2, "Published versus reproduced");
        t.Paragraph("Every number of the reference table that an experiment spec carries (its published: block), beside the reproduced " +
                    "estimate over all finished runs with its 95 % interval; inside = the published value lies in that interval. " +
                    "runs: finished (learned / stuck at chance / collapsed).");
        t.Table(["experiment", "condition", "measure", "published", "reproduced", "n", "95 % CI", "inside", "runs", "comment"],
            entries.SelectMany(Rows).Select(r => (IReadOnlyList<string>)
            [
                r[0], r[2].Length > 0 ? r[2] : r[1], r[3], Shown(r[3], r[4]), Shown(r[3], r[5]), r[6],
                r[7].Length > 0 ? $"{Shown(r[3], r[7])} – {Shown(r[3], r[8])}" : "", InsideShown(r),
                r[14].StartsWith("not run", StringComparison.Ordinal) ? "" : $"{r[10]} ({r[11]} / {r[12]} / {r[13]})",
                r[14].StartsWith("not run", StringComparison.Ordinal) ? r[14] : r[16],
            ]));
    }

    /// <summary>Per experiment: whether it ran, its runs by outcome, its figures and its report.</summary>
    private static void ExperimentTable(ReportText t, IReadOnlyList<StudyEntry> entries)
    {
        t.Heading(2, "Experiments");
        t.Table(["experiment", "status", "finished runs", "learned / stuck / collapsed", "figures", "report"],
            entries.Select(e => (IReadOnlyList<string>)
            [
                e.Experiment.Name, e.Ran ? "run" : "not run: " + e.NotRunReason,
                e.Analysis is { } a ? $"{a.Runs.Count(r => r.Measures.IsFinished)} of {a.Runs.Count}" : "0",
                e.Analysis is { } b ? $"{Outcome(b, TrainingOutcome.Learned)} / {WithNotes(b, TrainingOutcome.StuckAtChance)} / {WithNotes(b, TrainingOutcome.Collapsed)}" : "",
                e.Ran ? (e.Figures.Count > 0 ? e.Figures.Count.ToString(CultureInfo.InvariantCulture) : "none: run harness report first") : "",
                e.Ran ? $"{e.Experiment.Name}/report/report.md" : "",
            ]));
    }

    /// <summary>Each experiment's figures, as its own report drew them.</summary>
    private static void Figures(ReportText t, StudyEntry[] ran)
    {
        if (!ran.Any(e => e.Figures.Count > 0)) return;
        t.Heading(2, "Figures");
        foreach (var e in ran.Where(e => e.Figures.Count > 0))
        {
            t.Heading(3, e.Experiment.Name);
            foreach (var f in e.Figures) t.Figure(f, "figures");
        }
    }

    private static int Outcome(ExperimentAnalysis a, TrainingOutcome o) => a.Groups.Sum(g => g.With(o).Count);

    /// <summary>The stuck or collapsed runs with their notes: "2 (2 fit only in training mode)", "1 (1 recovered)".</summary>
    private static string WithNotes(ExperimentAnalysis a, TrainingOutcome o) =>
        ReportedOutcome.CountWithNotes(a.Groups.SelectMany(g => g.With(o)).Select(r => r.Measures.Outcome).ToArray());

    /// <summary>A CSV cell shown in the table: accuracies as percentages, epochs as numbers.</summary>
    /// <summary>The inside column of a row; "no" names the interval's bound where the printed interval would seem to include the published value.</summary>
    private static string InsideShown(IReadOnlyList<string> r) =>
        r[9] == "no" && r[7].Length > 0
            ? new ConfidenceInterval(Parse(r[7]), Parse(r[8]), 0.95, "").InsideWord(Parse(r[4]), v => Shown(r[3], TidyCsv.Format(v)))
            : r[9];

    private static double Parse(string cell) => double.Parse(cell, CultureInfo.InvariantCulture);

    private static string Shown(string measure, string cell) =>
        cell.Length == 0 ? "" : measure == "memorization_epoch"
            ? double.Parse(cell, CultureInfo.InvariantCulture).ToString("0.0", CultureInfo.InvariantCulture)
            : ExperimentAnalysis.Percent(double.Parse(cell, CultureInfo.InvariantCulture));
}
