using Harness.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>Builds the spec's optimizer and gives the Keras-style learning rate of each step.</summary>
public static class OptimizerFactory
{
    /// <summary>Adam or SGD (momentum) over <paramref name="parameters"/>. The L2 penalty is not here: it is added to the loss, as Keras does.</summary>
    public static optim.Optimizer Create(OptimizerSpec spec, IEnumerable<Parameter> parameters) => spec.Name switch
    {
        "adam" => optim.Adam(parameters, spec.LearningRate, spec.Beta1, spec.Beta2,
            spec.Epsilon ?? throw new ArgumentException("Adam epsilon must be resolved before training")),
        "sgd" => optim.SGD(parameters, spec.LearningRate, spec.Momentum),
        _ => throw new ArgumentException($"unknown optimizer '{spec.Name}' (adam, sgd)"),
    };

    /// <summary>
    /// Keras time decay: lr_t = lr / (1 + decay * t), with t the number of updates made before this one.
    /// With decay 0 the rate is constant.
    /// </summary>
    public static double LearningRateAt(OptimizerSpec spec, long updatesSoFar) =>
        spec.Decay == 0 ? spec.LearningRate : spec.LearningRate / (1 + spec.Decay * updatesSoFar);

    /// <summary>
    /// Sets the learning rate of update <paramref name="update"/> (0-based) on <paramref name="optimizer"/> and returns it.
    /// For SGD with momentum and a decaying rate under <see cref="InitScheme.Keras"/>, it first rescales each momentum
    /// buffer by lr(t-1) / lr(t): Keras keeps each gradient's own rate in its velocity (v = m v - lr_t g, w += v), while
    /// libtorch's SGD multiplies the whole buffer by the current rate (b = m b + g, w -= lr_t b); with the buffer rescaled,
    /// libtorch's step is exactly Keras's (b' = b lr(t-1)/lr(t) gives lr_t (m b' + g) = m lr(t-1) b + lr_t g = -v_t).
    /// With a constant rate the two forms agree and nothing is rescaled.
    /// </summary>
    public static double PrepareStep(optim.Optimizer optimizer, OptimizerSpec spec, InitScheme scheme, long update)
    {
        double rate = LearningRateAt(spec, update);
        double factor = MomentumRescale(spec, scheme, update);
        if (factor != 1)
        {
            using var _ = torch.no_grad();
            foreach (var state in ((OptimizerHelper)optimizer).state_dict().State)
                if (state is SGD.State { momentum_buffer: { } buffer }) buffer.mul_(factor);
        }
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
        return rate;
    }

    /// <summary>
    /// Update <paramref name="update"/> (0-based), after the backward pass of a loss that holds the L2 penalty as a
    /// value only (<see cref="KernelWeights.Penalty"/>): adds the penalty's gradient to <paramref name="kernels"/>,
    /// then <see cref="PrepareStep"/> (rate and Keras's momentum rescale) and the optimizer's step; returns the rate.
    /// The same numbers as <see cref="PrepareStep"/> before the forward pass, the penalty differentiated by autograd
    /// and <c>optimizer.step()</c> (the rescale touches only the momentum buffers, which the passes in between do not read).
    /// </summary>
    public static double Step(optim.Optimizer optimizer, OptimizerSpec spec, InitScheme scheme, long update, IReadOnlyList<Parameter> kernels)
    {
        if (spec.L2 > 0) KernelWeights.AddPenaltyGradient(kernels, spec.L2);
        double rate = PrepareStep(optimizer, spec, scheme, update);
        optimizer.step();
        return rate;
    }

    /// <summary>The factor <see cref="PrepareStep"/> multiplies SGD's momentum buffers by before update <paramref name="update"/> (1: none).</summary>
    private static double MomentumRescale(OptimizerSpec spec, InitScheme scheme, long update) =>
        scheme == InitScheme.Keras && spec.Name == "sgd" && spec.Momentum > 0 && spec.Decay > 0 && update > 0
            ? LearningRateAt(spec, update - 1) / LearningRateAt(spec, update)
            : 1;
}
