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
}
