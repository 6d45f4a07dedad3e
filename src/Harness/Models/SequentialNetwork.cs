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

    /// <summary>The Keras-style summary rows of this network.</summary>
    public IReadOnlyList<LayerSummary> Summary { get; }

    /// <summary>Builds the network of <paramref name="stack"/> and initializes it from <paramref name="generator"/>.</summary>
    public SequentialNetwork(string name, LayerStack stack, InitScheme init, Generator generator) : base(name)
    {
        layers = nn.Sequential(stack.Layers.Select(l => (l.Name, (nn.Module<Tensor, Tensor>)l.Module)).ToArray());
        Summary = stack.Summary;
        RegisterComponents();
        WeightInitializer.Apply(this, init, generator);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => layers.forward(input);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) layers.Dispose();
        base.Dispose(disposing);
    }
}
