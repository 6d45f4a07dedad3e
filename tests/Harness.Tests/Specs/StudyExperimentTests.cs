using Harness.Specs;

namespace Harness.Tests.Specs;

/// <summary>The experiment files of the published figures load and plan as the study ran them.</summary>
public sealed class StudyExperimentTests
{
    private static IReadOnlyList<RunSpec> Plan(string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "experiments"))) root = root.Parent;
        Assert.NotNull(root);
        return ExperimentPlanner.Plan(SpecLoader.Load(Path.Combine(root.FullName, "experiments", name + ".yaml")));
    }

    [Fact]
    public void Monocolour_F3_trains_deep_50_on_the_protein_channel_of_the_colour_experiment_s_data()
    {
        var mono = Plan("snf7_vs_snap29_mono");
        var colour = Plan("snf7_vs_snap29");
        Assert.Equal(24, mono.Count);
        // The one fluorescent protein's channel (green in both presets), not the mean that mixes in snap29-like's nuclear stain.
        Assert.All(mono, r => Assert.Equal(("deep-50", "channels", "green", 1, 9),
            (r.Architecture, r.Image.ColorMode.Kind, r.Image.ColorMode.ToString(), r.Image.ColorMode.ChannelCount, r.Epochs)));
        // The same data, so F3 differs from F1/F2 only by the network and the colour reduction.
        Assert.Equal(colour.Select(r => (r.Condition, r.Data)), mono.Select(r => (r.Condition, r.Data)));
    }

    [Fact]
    public void AlexNet_F4_uses_its_published_sgd_with_decay_and_l2()
    {
        var runs = Plan("snf7_vs_snap29_alexnet");
        Assert.Equal(24, runs.Count);
        Assert.All(runs, r => Assert.Equal("alexnet", r.Architecture));
        Assert.All(runs, r => Assert.Equal(new OptimizerSpec("sgd", 0.01, Momentum: 0.9, Decay: 0.3, L2: 0.0005), r.Optimizer));
        Assert.Equal(["snap29", "snf7"], runs.Select(r => r.Condition).Distinct());
    }

    [Fact]
    public void Fashion_mnist_trains_each_network_with_its_own_published_optimizer()
    {
        var runs = Plan("fashion_mnist");
        Assert.Equal(10, runs.Count);
        var deep = runs.Where(r => r.Condition == "deep_fmnist").ToArray();
        var alexnet = runs.Where(r => r.Condition == "alexnet_fmnist").ToArray();
        Assert.Equal(5, deep.Length);
        Assert.All(deep, r => Assert.Equal(("deep-fmnist", new OptimizerSpec("adam", 0.001, Epsilon: 1e-7)), (r.Architecture, r.Optimizer)));
        Assert.All(alexnet, r => Assert.Equal(("alexnet-fmnist", new OptimizerSpec("sgd", 0.01, Momentum: 0.9, Decay: 0.3, L2: 0.0005)), (r.Architecture, r.Optimizer)));
        Assert.All(runs, r => Assert.Equal((28, "mono", 10, 20), (r.Image.Height, r.Image.ColorMode.Kind, r.Epochs, r.BatchSize)));
        Assert.Equal(deep.Select(r => r.Data), alexnet.Select(r => r.Data));
    }
}
