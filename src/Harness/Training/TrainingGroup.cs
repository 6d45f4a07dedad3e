using Harness.Data;
using Harness.Models;
using Harness.Specs;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>Builds the <see cref="ITrainingGroup"/> for one run session: one run alone, or K runs fused.</summary>
public static class TrainingGroup
{
    /// <summary>
    /// The networks for <paramref name="specs"/> (one run, or runs that differ only by seed), each built from its
    /// own seed, with each member's training images, the shared test sets and <paramref name="classes"/> classes.
    /// </summary>
    /// <param name="specs">The runs, in seed order.</param>
    /// <param name="train">Each run's training images (a seed may draw its own subset or control).</param>
    /// <param name="tests">Named test sets, shared; the first is the primary one.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="device">Where to train.</param>
    /// <param name="evaluationBatchSize">Batch size of the clean measurements.</param>
    /// <param name="channelsLast">Batch layout of a run alone; null: the device's default (a fused group picks its own).</param>
    public static ITrainingGroup Create(IReadOnlyList<RunSpec> specs, IReadOnlyList<LabeledImages> train,
        IReadOnlyList<(string Name, LabeledImages Images)> tests, int classes, Device device, int evaluationBatchSize, bool? channelsLast = null)
    {
        if (specs.Count == 0 || specs.Count != train.Count)
            throw new ArgumentException($"a group needs one training set per run ({specs.Count} runs, {train.Count} sets)", nameof(train));
        var shape = new ModelShape(train[0].Channels, train[0].Height, train[0].Width, classes);
        return specs.Count == 1
            ? new StandaloneTraining(specs[0], train[0], tests, shape, device, evaluationBatchSize, channelsLast)
            : new FusedTraining(specs, train, tests, shape, device, evaluationBatchSize);
    }
}
