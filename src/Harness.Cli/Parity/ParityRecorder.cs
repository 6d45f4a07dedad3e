using Harness.Specs;
using Harness.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Cli.Parity;

/// <summary>
/// Watches the network the <see cref="Trainer"/> trains through two forward hooks, so that neither the trainer nor
/// the network changes (the trainer gets the registry's own network). Before the first convolution it casts the batch
/// to the network's dtype (the trainer's <see cref="DeviceImages"/> hold float32 pixels, which float64 represents
/// exactly) and, in training mode, recovers which training images the trainer put in the batch by matching their
/// pixels against the training set. After the output layer, in training mode, it records the step's loss from the
/// trainer's logits with the trainer's own <see cref="ClassificationLoss"/> and <see cref="KernelWeights"/> penalty
/// (the weights are still those before the step, as in the trainer's loss).
/// </summary>
internal sealed class ParityRecorder
{
    private readonly ScalarType dtype;
    private readonly DeviceImages trainingSet;
    private readonly RunSpec spec;
    private readonly IReadOnlyList<Parameter> kernelWeights;
    private readonly List<long[]> batches = [];
    private readonly List<double> losses = [];

    /// <summary>Hooks <paramref name="network"/> (already converted to <paramref name="dtype"/>), trained on <paramref name="train"/> as <paramref name="spec"/> says.</summary>
    public ParityRecorder(nn.Module<Tensor, Tensor> network, ScalarType dtype, DeviceImages train, RunSpec spec)
    {
        this.dtype = dtype;
        trainingSet = train;
        this.spec = spec;
        kernelWeights = KernelWeights.Of(network);
        // The first parameter is the first layer's, a convolution in every parity network; the last weight is the
        // output layer's (modules() does not list nested layers in registration order, named_parameters() does).
        var weights = network.named_parameters().Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal)).Select(p => p.parameter).ToList();
        var input = network.modules().OfType<Conv2d>().SingleOrDefault(m => ReferenceEquals(m.weight, weights[0]))
            ?? throw new ArgumentException("a parity network must start with a convolution");
        var output = network.modules().OfType<Linear>().SingleOrDefault(m => ReferenceEquals(m.weight, weights[^1]))
            ?? throw new ArgumentException("a parity network must end with a dense output layer");
        input.register_forward_pre_hook((module, batch) => BeforeFirstLayer(module, batch));
        output.register_forward_hook((module, _, logits) => AfterOutputLayer(module, logits));
    }

    /// <summary>Per training step, the indices (into the training set) of the images the trainer fed the network.</summary>
    public IReadOnlyList<long[]> Batches => batches;

    /// <summary>Per training step, the loss the trainer minimized (mean Keras loss plus the L2 penalty).</summary>
    public IReadOnlyList<double> Losses => losses;

    private Tensor BeforeFirstLayer(nn.Module module, Tensor batch)
    {
        if (module.training)
        {
            if (batches.Count != losses.Count) throw new InvalidDataException("a training forward pass did not reach the output layer");
            batches.Add(Identify(batch));
        }
        return batch.to(dtype);
    }

    private Tensor AfterOutputLayer(nn.Module module, Tensor logits)
    {
        if (!module.training) return logits;
        using var _ = torch.no_grad();
        var y = trainingSet.Labels.index_select(0, torch.tensor(batches[^1]));
        var loss = ClassificationLoss.PerExample(logits.detach(), y, spec.Init).mean();
        if (spec.Optimizer.L2 > 0) loss = loss + KernelWeights.Penalty(kernelWeights, spec.Optimizer.L2);
        losses.Add(loss.to(ScalarType.Float64).item<double>());
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
