using Harness.Specs;

namespace Harness.Tests.Specs;

public sealed class ConditionOverrideTests
{
    // Line numbers matter: the error tests below point at lines of this text.
    private const string Spec = """
        name: overrides
        seeds: 2
        epochs: 9
        architecture: deep
        optimizer: {name: adam, lr: 0.001, betas: [0.8, 0.99]}
        image: {size: 256, color_mode: rgb, normalize: none}
        conditions:
          snap29:
            data: {synthetic: {preset: snap29-like, data_seed: 29}}
          snf7:
            data: {synthetic: {preset: snf7-like, data_seed: 7}}
        """;

    private static ExperimentSpec Parse(string yaml, params string[] overrides) => SpecLoader.Parse(yaml, "e.yaml", overrides);

    private static SpecException Fails(string yaml, params string[] overrides) => Assert.Throws<SpecException>(() => Parse(yaml, overrides));

    private static string WithSnf7(string keys) => Spec.Replace(
        "    data: {synthetic: {preset: snf7-like, data_seed: 7}}",
        "    data: {synthetic: {preset: snf7-like, data_seed: 7}}\n" + string.Join("\n", keys.Split('\n').Select(l => "    " + l)));

    [Fact]
    public void A_condition_sets_run_level_keys_for_its_own_runs_only()
    {
        var runs = ExperimentPlanner.Plan(Parse(WithSnf7("""
            architecture: alexnet
            optimizer: {name: sgd, lr: 0.01, momentum: 0.9, decay: 0.3, l2: 0.0005}
            epochs: 3
            batch_size: 10
            init: torch
            """)));
        var snap29 = runs.First(r => r.Condition == "snap29");
        var snf7 = runs.First(r => r.Condition == "snf7");
        Assert.Equal(("deep", 9, 20, InitScheme.Keras), (snap29.Architecture, snap29.Epochs, snap29.BatchSize, snap29.Init));
        Assert.Equal(new OptimizerSpec("adam", 0.001, 0.8, 0.99, 1e-7), snap29.Optimizer);
        Assert.Equal(("alexnet", 3, 10, InitScheme.Torch), (snf7.Architecture, snf7.Epochs, snf7.BatchSize, snf7.Init));
        // With a name the block replaces the spec's optimizer whole: no Adam betas or epsilon leak into SGD.
        Assert.Equal(new OptimizerSpec("sgd", 0.01, Momentum: 0.9, Decay: 0.3, L2: 0.0005), snf7.Optimizer);
        Assert.Equal(4, runs.Count);
    }

    [Fact]
    public void Optimizer_keys_without_a_name_and_image_keys_are_laid_over_the_top_level_blocks()
    {
        var snf7 = ExperimentPlanner.Plan(Parse(WithSnf7("""
            optimizer: {lr: 0.0001}
            image: {color_mode: mono, mono_reduction: max}
            """))).First(r => r.Condition == "snf7");
        Assert.Equal(new OptimizerSpec("adam", 0.0001, 0.8, 0.99, 1e-7), snf7.Optimizer);
        Assert.Equal((256, 256, "mono", "max", "none"), (snf7.Image.Height, snf7.Image.Width, snf7.Image.ColorMode.ToString(), snf7.Image.ColorMode.MonoReduction, snf7.Image.Normalization));
        var overrides = Parse(WithSnf7("optimizer: {lr: 0.0001}\nimage: {color_mode: mono}")).Conditions[1].Overrides!;
        Assert.Equal(["optimizer.lr", "image.color_mode"], overrides.KeyPaths);
    }

    [Fact]
    public void A_spec_without_overrides_keeps_its_run_ids_and_an_override_changes_only_its_condition()
    {
        var before = ExperimentPlanner.Plan(Parse(Spec));
        Assert.All(Parse(Spec).Conditions, c => Assert.Null(c.Overrides));
        var after = ExperimentPlanner.Plan(Parse(WithSnf7("optimizer: {lr: 0.0001}")));
        Assert.Equal(before.Where(r => r.Condition == "snap29").Select(r => r.RunId), after.Where(r => r.Condition == "snap29").Select(r => r.RunId));
        Assert.Empty(before.Where(r => r.Condition == "snf7").Select(r => r.RunId).Intersect(after.Select(r => r.RunId)));
    }

    [Fact]
    public void A_run_id_depends_on_the_resolved_value_not_on_where_it_was_written()
    {
        var atTop = ExperimentPlanner.Plan(Parse(Spec.Replace("lr: 0.001,", "lr: 0.0001,")));
        var inCondition = ExperimentPlanner.Plan(Parse(WithSnf7("optimizer: {lr: 0.0001}")));
        Assert.Equal(atTop.Where(r => r.Condition == "snf7").Select(r => r.RunId), inCondition.Where(r => r.Condition == "snf7").Select(r => r.RunId));
    }

    [Fact]
    public void Two_conditions_on_the_same_data_that_differ_only_in_optimizer_get_different_run_ids()
    {
        string yaml = Spec.Replace("preset: snf7-like, data_seed: 7", "preset: snap29-like, data_seed: 29");
        var adam = ExperimentPlanner.Plan(Parse(yaml)).Where(r => r.Condition == "snf7").ToArray();
        var sgd = ExperimentPlanner.Plan(Parse(WithSnf7("optimizer: {name: sgd}").Replace("preset: snf7-like, data_seed: 7", "preset: snap29-like, data_seed: 29")))
            .Where(r => r.Condition == "snf7").ToArray();
        Assert.Equal(adam.Select(r => r.Data), sgd.Select(r => r.Data));
        Assert.Equal("sgd", sgd[0].Optimizer.Name);
        Assert.Empty(adam.Select(r => r.RunId).Intersect(sgd.Select(r => r.RunId)));
    }

    [Fact]
    public void Errors_in_a_condition_point_at_the_condition_with_its_key_path()
    {
        // Line 12 is the first key added after snf7's data (line 11).
        var lr = Assert.Single(Fails(WithSnf7("optimizer: {lr: -1}")).Errors);
        Assert.Equal(("e.yaml", 12, "conditions.snf7.optimizer.lr"), (lr.File, lr.Line, lr.KeyPath));
        Assert.Contains("must be in", lr.Message);

        var arch = Assert.Single(Fails(WithSnf7("architecture: vgg16")).Errors);
        Assert.Equal((12, 19, "conditions.snf7.architecture"), (arch.Line, arch.Column, arch.KeyPath));

        var typo = Assert.Single(Fails(WithSnf7("architecure: alexnet")).Errors);
        Assert.Equal((12, "conditions.snf7.architecure"), (typo.Line, typo.KeyPath));
        Assert.Contains("did you mean 'architecture'", typo.Message);

        // Merged with the spec's Adam, momentum is not a key it knows; the error stands at the condition's key.
        var momentum = Assert.Single(Fails(WithSnf7("optimizer:\n  momentum: 0.9")).Errors);
        Assert.Equal((13, 7, "conditions.snf7.optimizer.momentum"), (momentum.Line, momentum.Column, momentum.KeyPath));

        var size = Assert.Single(Fails(WithSnf7("image: {size: 4}")).Errors);
        Assert.Equal((12, "conditions.snf7.image.size"), (size.Line, size.KeyPath));

        var epochs = Assert.Single(Fails(WithSnf7("epochs: 0")).Errors);
        Assert.Equal((12, "conditions.snf7.epochs"), (epochs.Line, epochs.KeyPath));
    }

    [Fact]
    public void A_top_level_error_is_not_reported_again_for_each_condition_that_merges_it()
    {
        var error = Assert.Single(Fails(WithSnf7("optimizer: {lr: 0.01}").Replace("betas: [0.8, 0.99]", "betas: [0.8, 2]")).Errors);
        Assert.Equal("optimizer.betas[1]", error.KeyPath);
    }

    [Fact]
    public void Set_reaches_a_condition_s_keys()
    {
        var spec = Parse(WithSnf7("optimizer: {lr: 0.0001}"), "conditions.snf7.optimizer.lr=0.0002", "conditions.snap29.epochs=2");
        Assert.Equal(0.0002, spec.Conditions[1].Overrides!.Optimizer!.LearningRate);
        Assert.Equal(2, ExperimentPlanner.Plan(spec).First(r => r.Condition == "snap29").Epochs);
    }

    [Fact]
    public void A_grid_over_a_key_a_condition_sets_is_an_error_naming_both_positions()
    {
        var error = Assert.Single(Fails(WithSnf7("optimizer: {lr: 0.0001}") + "\ngrid:\n  optimizer.lr: [0.001, 0.01]\n").Errors);
        Assert.Equal((12, "conditions.snf7.optimizer.lr"), (error.Line, error.KeyPath));
        Assert.Contains("grid varies optimizer.lr (e.yaml:14:3)", error.Message);

        // A whole optimizer in the condition covers every optimizer.* axis.
        var whole = Assert.Single(Fails(WithSnf7("optimizer: {name: sgd}") + "\ngrid: {optimizer.momentum: [0.5, 0.9]}\n").Errors);
        Assert.Equal("conditions.snf7.optimizer", whole.KeyPath);

        // Different keys of one block do not collide.
        var runs = ExperimentPlanner.Plan(Parse(WithSnf7("optimizer: {lr: 0.0001}") + "\ngrid: {optimizer.betas: [[0.9, 0.999], [0.5, 0.9]]}\n"));
        Assert.Equal([(0.0001, 0.9, 0.999), (0.0001, 0.5, 0.9)],
            runs.Where(r => r.Condition == "snf7" && r.Seed == 1).Select(r => (r.Optimizer.LearningRate, r.Optimizer.Beta1, r.Optimizer.Beta2)));
        Assert.Equal("0.5/0.9", runs.Last().GridPoint["optimizer.betas"]);
    }

    [Fact]
    public void A_grid_over_the_training_subset_sets_it_in_every_condition()
    {
        var runs = ExperimentPlanner.Plan(Parse(Spec + "\ngrid: {data.train_subset: [100, 400]}\n"));
        Assert.Equal([100, 100, 400, 400, 100, 100, 400, 400], runs.Select(r => r.Data.TrainSubset!.Value));
        Assert.Equal(runs.Count, runs.Select(r => r.RunId).Distinct().Count());

        var bad = Assert.Single(Fails(Spec + "\ngrid: {data.train_subset: [100, 0]}\n").Errors);
        Assert.Equal("grid.data.train_subset", bad.KeyPath);
        var conflict = Assert.Single(Fails(Spec.Replace("data_seed: 7}}", "data_seed: 7}, train_subset: 400}") + "\ngrid: {data.train_subset: [100, 400]}\n").Errors);
        Assert.Equal("conditions.snf7.data.train_subset", conflict.KeyPath);
    }

    [Fact]
    public void A_condition_whose_network_does_not_fit_its_image_is_refused_at_its_line()
    {
        const string Yaml = """
            name: fit
            epochs: 1
            architecture: cifar-small
            image: {size: 32}
            conditions:
              small: {data: {synthetic: {preset: snf7-like, train_per_class: 2, test_per_class: 2}}}
              deep: {architecture: deep, data: {synthetic: {preset: snf7-like, train_per_class: 2, test_per_class: 2}}}
            """;
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(Yaml, "e.yaml"));
        var error = Assert.Single(e.Errors);
        Assert.Equal(("conditions.deep", 7), (error.KeyPath, error.Line));
        Assert.Contains("deep", error.Message);
    }
}
