using Harness.Specs;
using Harness.Data;

namespace Harness.Tests.Specs;

public sealed class PlannerTests
{
    private const string TwoConditions = """
        name: grid
        seeds: 3
        epochs: 2
        architecture: deep
        conditions:
          snap29: {data: {synthetic: {preset: snap29-like, data_seed: 29}}}
          snf7: {data: {synthetic: {preset: snf7-like, data_seed: 7}}}
        grid:
          architecture: [deep, deep-50]
          image.color_mode: [rgb, mono]
        """;

    [Fact]
    public void Runs_are_conditions_times_grid_times_seeds_in_that_nesting()
    {
        var runs = ExperimentPlanner.Plan(SpecLoader.Parse(TwoConditions, "e.yaml"));
        Assert.Equal(24, runs.Count);
        Assert.Equal(24, runs.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(["snap29", "snap29", "snap29"], runs.Take(3).Select(r => r.Condition));
        Assert.Equal([1, 2, 3], runs.Take(3).Select(r => r.Seed));
        Assert.Equal(("deep", "rgb"), (runs[0].Architecture, runs[0].Image.ColorMode.ToString()));
        Assert.Equal(("deep", "mono"), (runs[3].Architecture, runs[3].Image.ColorMode.ToString()));
        Assert.Equal(("deep-50", "rgb"), (runs[6].Architecture, runs[6].Image.ColorMode.ToString()));
        Assert.Equal("deep-50", runs[6].GridPoint["architecture"]);
    }

    [Fact]
    public void Adam_epsilon_is_resolved_from_the_init_scheme()
    {
        var keras = ExperimentPlanner.Plan(SpecLoader.Parse(TwoConditions, "e.yaml"))[0];
        var torch = ExperimentPlanner.Plan(SpecLoader.Parse(TwoConditions + "\ninit: torch", "e.yaml"))[0];
        Assert.Equal(1e-7, keras.Optimizer.Epsilon);
        Assert.Equal(1e-8, torch.Optimizer.Epsilon);
    }

    [Fact]
    public void Run_ids_are_stable_across_machines_and_loads()
    {
        // Pinned: if the canonical form changes, every stored result would be orphaned, so this must fail loudly.
        var first = ExperimentPlanner.Plan(SpecLoader.Parse(TwoConditions, "a/e.yaml"))[0];
        Assert.Equal("8e201a15ede1", first.RunId);
        Assert.Equal(first.RunId, ExperimentPlanner.Plan(SpecLoader.Parse(TwoConditions, "/elsewhere/e.yaml"))[0].RunId);
        // The same spec resolved as before image.normalize (default standardize) and the published synthetic recipe
        // (default fields) existed keeps the id it had then: those defaults change the data, so they change the id.
        string before = TwoConditions.Replace("data_seed: 29}", "data_seed: 29, train_per_class: 200, test_per_class: 100}") + "\nimage: {normalize: none}\n";
        Assert.Equal("cddc348c5eae", ExperimentPlanner.Plan(SpecLoader.Parse(before, "a/e.yaml"))[0].RunId);
        string canonical = RunIds.Canonical(first);
        Assert.DoesNotContain("channel_count", canonical);
        Assert.DoesNotContain("display_name", canonical);
        Assert.Contains("\"seed\":1", canonical);
    }

    [Fact]
    public void Run_ids_change_with_any_resolved_value_but_not_with_description_or_tracking()
    {
        string Id(string yaml) => ExperimentPlanner.Plan(SpecLoader.Parse(yaml, "e.yaml"))[0].RunId;
        string baseline = Id(TwoConditions);
        Assert.NotEqual(baseline, Id(TwoConditions.Replace("epochs: 2", "epochs: 3")));
        Assert.NotEqual(baseline, Id(TwoConditions.Replace("data_seed: 29", "data_seed: 30")));
        Assert.NotEqual(baseline, Id(TwoConditions + "\noptimizer: {lr: 0.002}"));
        Assert.Equal(baseline, Id(TwoConditions + "\ndescription: words"));
        Assert.Equal(baseline, Id(TwoConditions + "\ntracking: {mlflow: {tracking_uri: http://127.0.0.1:5000}}"));
    }

    [Fact]
    public void A_grid_over_input_scaling_plans_one_run_per_mode()
    {
        var runs = ExperimentPlanner.Plan(SpecLoader.Parse(TwoConditions.Replace("  image.color_mode: [rgb, mono]", "  image.normalize: [none, stretch, standardize]"), "e.yaml"));
        Assert.Equal(["none", "stretch", "standardize"], runs.Where(r => r.Condition == "snap29" && r.Seed == 1 && r.Architecture == "deep").Select(r => r.Image.Normalization));
        Assert.Equal(runs.Count, runs.Select(r => r.RunId).Distinct().Count());
        Assert.Null(runs.First(r => r.Image.Normalization == "none").Image.Normalize); // as a spec saying none: left out of the RunId
    }

    [Fact]
    public void The_published_experiment_plans_24_runs_of_the_deep_network()
    {
        string path = Path.Combine(RepoPaths.Root, "experiments", "snf7_vs_snap29.yaml");
        var spec = SpecLoader.Load(path);
        var runs = ExperimentPlanner.Plan(spec);
        Assert.Equal(24, runs.Count);
        Assert.All(runs, r => Assert.Equal(("deep", 9, 20, 256), (r.Architecture, r.Epochs, r.BatchSize, r.Image.Height)));
        // The published recipe: a training folder of copies of tiles, of which every run draws 400 (the published "one batch of
        // 400"); snf7 with the public Snf7 folders' identical copies and test sets of their size (4 fields per class, as
        // NN_snf7_2's 64 + 67 tiles), snap29 (not public) with truly rotated ones.
        Assert.All(spec.Conditions, c => Assert.Equal(400, c.Data.TrainSubset));
        Assert.Equal(
            [("snap29", new SyntheticFieldsSpec(Copies: SyntheticFieldsSpec.RotatedCopies)), ("snf7", new SyntheticFieldsSpec(Test: 4, Copies: SyntheticFieldsSpec.IdenticalCopies))],
            spec.Conditions.Select(c => (c.Name, Assert.IsType<SyntheticDataSpec>(c.Data.Source).Fields!)));
        Assert.NotNull(spec.Published);
    }

    [Fact]
    public void The_memorization_controls_experiment_runs_true_labels_against_every_control()
    {
        var spec = SpecLoader.Load(Path.Combine(RepoPaths.Root, "experiments", "memorization_controls.yaml"));
        Assert.Equal(21, ExperimentPlanner.Plan(spec).Count);
        Assert.Null(spec.Conditions[0].Control);
        Assert.Equal(TrainingSetView.ControlNames.Order(), spec.Conditions.Skip(1).Select(c => c.Control!.Kind).Distinct().Order());
        Assert.Equal([0.2, 0.5], spec.Conditions.Where(c => c.Control?.Kind == "corrupt_labels").Select(c => c.Control!.Fraction));
    }

    [Fact]
    public void Plan_printer_lists_every_run_and_the_count()
    {
        var runs = ExperimentPlanner.Plan(SpecLoader.Parse(TwoConditions, "e.yaml"));
        string text = PlanPrinter.Format(runs);
        Assert.Contains(runs[5].RunId, text);
        Assert.EndsWith("24 run(s)" + Environment.NewLine, text);
    }
}
