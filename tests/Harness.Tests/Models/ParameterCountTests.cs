using Harness.Models;
using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Models;

public sealed class ParameterCountTests
{
    // The published table (Keras model.summary() arithmetic): a different count means a wrong architecture.
    [Theory]
    [InlineData("deep", 3, 256, 256, 2, 154_882, 0)]
    [InlineData("deep", 1, 256, 256, 2, 154_594, 0)]
    [InlineData("deep-50", 3, 256, 256, 2, 179_608, 0)]
    [InlineData("deep-50", 1, 256, 256, 2, 179_320, 0)]
    [InlineData("alexnet", 3, 256, 256, 2, 26_824_770, 704)]
    [InlineData("deep-fmnist", 1, 28, 28, 10, 179_728, 0)]
    [InlineData("alexnet-fmnist", 1, 28, 28, 10, 10_040_714, 704)]
    [InlineData("cifar-small", 3, 32, 32, 10, 47_370, 0)]
    [InlineData("cifar-deeper", 3, 32, 32, 10, 36_138, 0)]
    [InlineData("cifar-dropout", 3, 32, 32, 10, 36_138, 0)]
    public void Trainable_parameters_match_the_published_table(string name, int c, int h, int w, int classes, long trainable, long nonTrainable)
    {
        var summary = ModelRegistry.Summarize(name, new ModelShape(c, h, w, classes));
        Assert.Equal(trainable, summary.Trainable);
        Assert.Equal(nonTrainable, summary.NonTrainable);
    }

    [Theory]
    [InlineData("deep", 3, 256, 256, 2)]
    [InlineData("alexnet-fmnist", 1, 28, 28, 10)]
    [InlineData("cifar-dropout", 3, 32, 32, 10)]
    public void Built_network_has_the_summarized_parameters_and_returns_one_logit_per_class(string name, int c, int h, int w, int classes)
    {
        var shape = new ModelShape(c, h, w, classes);
        using var g = new Generator(1);
        using var model = ModelRegistry.Create(name, shape, InitScheme.Keras, g);
        long counted = model.parameters().Sum(p => p.numel());
        Assert.Equal(ModelRegistry.Summarize(name, shape).Trainable, counted);
        model.eval();
        using var x = torch.rand(2, c, h, w);
        using var y = model.forward(x);
        Assert.Equal(new long[] { 2, classes }, y.shape);
    }

    [Fact]
    public void Every_registered_architecture_is_known_to_the_spec_loader()
    {
        foreach (var name in ModelRegistry.Names)
        {
            var shape = ModelRegistry.Get(name).PublishedShape;
            var spec = SpecLoader.Parse($$"""
                name: each
                epochs: 1
                architecture: {{name}}
                image: {size: [{{shape.Height}}, {{shape.Width}}]}
                conditions:
                  a:
                    data:
                      synthetic: {preset: snf7-like}
                """, "e.yaml");
            Assert.Equal(name, spec.Architecture);
        }
    }

    [Fact]
    public void Summary_prints_keras_style_totals()
    {
        string text = ModelRegistry.Summarize("alexnet", new ModelShape(3, 256, 256, 2)).Format();
        Assert.Contains("Total params: 26,825,474", text);
        Assert.Contains("Trainable params: 26,824,770", text);
        Assert.Contains("Non-trainable params: 704", text);
        Assert.Contains("conv1 (Conv2D)", text);
    }

    [Fact]
    public void Too_small_an_input_is_an_error_that_names_the_layer()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Summarize("deep", new ModelShape(3, 64, 64, 2)));
        Assert.Contains("too small", e.Message);
    }
}
