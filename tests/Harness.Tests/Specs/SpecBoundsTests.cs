using System.Diagnostics;
using Harness.Models;
using Harness.Specs;
using Harness.Training;

namespace Harness.Tests.Specs;

/// <summary>Every count in a spec has an upper bound, named with its position; too-small images are refused at load time.</summary>
public sealed class SpecBoundsTests
{
    private const string Minimal = """
        name: tiny
        epochs: 2
        architecture: cifar-small
        image: {size: 32}
        conditions:
          a:
            data:
              synthetic: {preset: snap29-like, size: 32}
        """;

    private static SpecError OnlyError(string yaml, params string[] overrides) =>
        Assert.Single(Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "exp.yaml", overrides)).Errors);

    [Theory]
    [InlineData("seeds: 100000000", "seeds", 9)]
    [InlineData("seeds: 2000000000", "seeds", 9)]
    [InlineData("seeds: 99999999999", "seeds", 9)]
    [InlineData("batch_size: 2147483647", "batch_size", 9)]
    [InlineData("threads: 100000", "threads", 9)]
    [InlineData("seed_parallel: 100000", "seed_parallel", 9)]
    public void A_count_above_its_limit_is_refused_with_its_key_line_and_column(string line, string key, int lineNumber)
    {
        var clock = Stopwatch.StartNew();
        var error = OnlyError(Minimal + "\n" + line);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal((key, lineNumber, line.IndexOf(':') + 3), (error.KeyPath, error.Line, error.Column));
        Assert.Contains("must be at most", error.Message);
        Assert.Contains("Limits", error.Message);
    }

    [Fact]
    public void Epochs_image_size_and_synthetic_counts_are_bounded_too()
    {
        Assert.Equal("epochs", OnlyError(Minimal.Replace("epochs: 2", "epochs: 1000000000")).KeyPath);
        Assert.Equal("image.size", OnlyError(Minimal.Replace("{size: 32}", "{size: 100000}")).KeyPath);
        Assert.Equal("image.size[1]", OnlyError(Minimal.Replace("{size: 32}", "{size: [32, 100000]}")).KeyPath);
        Assert.Equal("conditions.a.data.synthetic.train_per_class",
            OnlyError(Minimal.Replace("snap29-like, size: 32}", "snap29-like, size: 32, train_per_class: 2000000000}")).KeyPath);
        Assert.Contains("must be at most", OnlyError(Minimal, "batch_size=100000").Message);
    }

    [Fact]
    public void A_spec_rejected_for_another_error_does_not_first_build_its_seeds()
    {
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = OnlyError(Minimal + "\nseeds: 10000\nepochz: 3");
        Assert.Equal("epochz", error.KeyPath);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000, "loading allocated per seed");
        var spec = SpecLoader.Parse(Minimal + "\nseeds: 10000", "exp.yaml");
        Assert.Equal(10_000, spec.Seeds.Values.Count);
        Assert.Equal(10_000, spec.Seeds.Values[^1]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_plan_of_more_runs_than_the_limit_is_refused_before_it_is_built()
    {
        var error = OnlyError(Minimal + "\nseeds: 10000\ngrid: {optimizer.lr: [0.1, 0.01, 0.001, 0.0001, 0.00001, 0.2, 0.02, 0.002, 0.0002, 0.00002, 0.3]}");
        Assert.Equal(("seeds", 9), (error.KeyPath, error.Line));
        Assert.Contains("110,000 runs", error.Message);
    }

    [Fact]
    public void A_batch_larger_than_the_training_set_is_one_batch_per_epoch_even_near_int_max()
    {
        Assert.Equal(1, BatchProgress.BatchesPerEpoch(24, int.MaxValue));
        Assert.Equal(1, BatchProgress.BatchesPerEpoch(24, SpecLimits.BatchSize));
        Assert.Equal(3, BatchProgress.BatchesPerEpoch(24, 10));
        Assert.Equal(20, SpecLoader.Parse(Minimal + "\nbatch_size: 20", "exp.yaml").BatchSize);
    }

    [Fact]
    public void An_image_too_small_for_the_architecture_is_refused_at_load_time_with_the_minimum()
    {
        var error = OnlyError(Minimal.Replace("cifar-small", "deep").Replace("{size: 32}", "{size: 64}"));
        Assert.Equal(("image.size", 4, 15), (error.KeyPath, error.Line, error.Column));
        Assert.Contains("64 x 64 is too small for 'deep'", error.Message);
        Assert.Contains("at least 256 x 256", error.Message);
        Assert.StartsWith("exp.yaml:4:15:", error.ToString());

        // An override, a grid value, and a grid crossing architectures with sizes.
        Assert.Contains("too small for 'alexnet'", OnlyError(Minimal, "architecture=alexnet").Message);
        Assert.Contains("value '64'", OnlyError(Minimal.Replace("cifar-small", "deep").Replace("{size: 32}", "{size: 256}") + "\ngrid: {image.size: [64, 256]}").Message);
        var crossed = OnlyError(Minimal.Replace("{size: 32}", "{size: 256}") + "\ngrid: {architecture: [cifar-small, deep], image.size: [32, 256]}");
        Assert.Contains("architecture 'deep' with image.size 32", crossed.Message);
        SpecLoader.Parse(Minimal.Replace("cifar-small", "deep").Replace("{size: 32}", "{size: 256}"), "exp.yaml");
    }

    [Fact]
    public void Every_architecture_takes_its_published_input_and_the_minimum_is_exact()
    {
        foreach (var name in ModelRegistry.Names)
        {
            var shape = ModelRegistry.Get(name).PublishedShape;
            Assert.Null(ModelRegistry.InputTooSmall(name, shape.Height, shape.Width));
            int min = ModelRegistry.MinimumSide(name);
            Assert.Null(ModelRegistry.InputTooSmall(name, min, min));
            Assert.NotNull(ModelRegistry.InputTooSmall(name, min - 1, min - 1));
        }
        Assert.Equal(256, ModelRegistry.MinimumSide("deep"));
    }
}
