using Harness.Specs;
using Harness.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Cli.Parity;

/// <summary>
/// Wraps the network the <see cref="Trainer"/> trains, so that the trainer itself stays untouched: every forward pass
/// in training mode recovers which training images the trainer put in the batch (by matching its pixels against the
/// training set) and the step's loss, computed from the same logits with the trainer's own
/// <see cref="ClassificationLoss"/> and <see cref="KernelWeights"/> penalty (the weights are those before the step,
/// as in the trainer's loss). Batches are cast to the network's dtype: the trainer's
/// <see cref="DeviceImages"/> hold float32 pixels, which float64 represents exactly.
/// </summary>
internal sealed class ParityRecorder : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> inner;
    private readonly ScalarType dtype;
    private readonly DeviceImages trainingSet;
    private readonly RunSpec spec;
    private readonly IReadOnlyList<Parameter> kernelWeights;
    private readonly List<long[]> batches = [];
    private readonly List<double> losses = [];

    /// <summary>Wraps <paramref name="network"/> (already converted to <paramref name="dtype"/>) trained on <paramref name="train"/> as <paramref name="spec"/> says.</summary>
    public ParityRecorder(nn.Module<Tensor, Tensor> network, ScalarType dtype, DeviceImages train, RunSpec spec) : base("parity_recorder")
    {
        inner = network;
        this.dtype = dtype;
        trainingSet = train;
        this.spec = spec;
        kernelWeights = KernelWeights.Of(network);
        RegisterComponents();
    }

    /// <summary>Per training step, the indices (into the training set) of the images the trainer fed the network.</summary>
    public IReadOnlyList<long[]> Batches => batches;

    /// <summary>Per training step, the loss the trainer minimized (mean Keras loss plus the L2 penalty).</summary>
    public IReadOnlyList<double> Losses => losses;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = input.to(dtype);
        var logits = inner.forward(x);
        if (inner.training)
        {
            var indices = Identify(input);
            batches.Add(indices);
            using var _ = torch.no_grad();
            var y = trainingSet.Labels.index_select(0, torch.tensor(indices));
            var loss = ClassificationLoss.PerExample(logits.detach(), y, spec.Init).mean();
            if (spec.Optimizer.L2 > 0) loss = loss + KernelWeights.Penalty(kernelWeights, spec.Optimizer.L2);
            losses.Add(loss.to(ScalarType.Float64).item<double>());
        }
        return logits;
    }

    /// <summary>The index of every image of <paramref name="batch"/> in the training set (synthetic random images are all distinct).</summary>
    private long[] Identify(Tensor batch)
    {
        using var _ = torch.no_grad();
        var rows = batch.flatten(1);
        var set = trainingSet.Images.flatten(1);
        var matches = rows.unsqueeze(1).eq(set.unsqueeze(0)).all(2);
        var counts = matches.sum(1).data<long>().ToArray();
        if (counts.Any(c => c != 1))
            throw new InvalidDataException("a training batch holds an image that is not exactly one image of the training set");
        return matches.to(ScalarType.Int64).argmax(1).data<long>().ToArray();
    }
}
