using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// A network built from a <see cref="LayerStack"/>: its layers run in order and it returns logits. The concrete
/// architectures (one file each) only describe their stack.
/// </summary>
public sealed class SequentialNetwork : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> layers;
    private readonly (string Name, nn.Module<Tensor, Tensor> Module, bool EndsWithRelu)[] stages;

    /// <summary>The Keras-style summary rows of this network.</summary>
    public IReadOnlyList<LayerSummary> Summary { get; }

    /// <summary>Builds the network of <paramref name="stack"/> and initializes it from <paramref name="generator"/>.</summary>
    public SequentialNetwork(string name, LayerStack stack, InitScheme init, Generator generator) : base(name)
    {
        layers = nn.Sequential(stack.Layers.Select(l => (l.Name, (nn.Module<Tensor, Tensor>)l.Module)).ToArray());
        stages = stack.Layers.Select(l => (l.Name, l.Module, stack.EndsWithRelu(l.Name))).ToArray();
        Summary = stack.Summary;
        RegisterComponents();
        WeightInitializer.Apply(this, init, generator);
    }

    /// <summary>
    /// The layers in order, each with whether its output is a ReLU's (conv and dense layers but the output): running
    /// them one after another is <see cref="forward"/>, and lets a probe read every hidden activation on the way.
    /// </summary>
    public IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module, bool EndsWithRelu)> Stages => stages;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => layers.forward(input);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) layers.Dispose();
        base.Dispose(disposing);
    }
}
