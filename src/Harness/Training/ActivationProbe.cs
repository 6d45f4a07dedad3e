using Harness.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Measures <see cref="ProbeMetrics"/>: one forward pass of the probe batch, a fixed set of training images, in
/// evaluation mode and without gradients, reading every ReLU layer's output on the way. A unit is dead when its ReLU
/// output is zero for every probe image: a channel of a convolution at every position, a neuron of a dense layer.
/// Dead units pass no gradient, so they stay dead; a network whose late layers are all dead gives constant outputs.
/// </summary>
public static class ActivationProbe
{
    /// <summary>Images in the probe batch (fewer when the training set is smaller, or the images large: see <see cref="Evaluation.BatchSize"/>).</summary>
    public const int ProbeImages = 64;

    /// <summary>
    /// The probe batch's indices into a training set of <paramref name="count"/> images: evenly spaced over the whole
    /// set (so a set stored class after class contributes every class), the same in every epoch.
    /// </summary>
    public static long[] Indices(int count, int images)
    {
        int n = Math.Min(count, images);
        return Enumerable.Range(0, n).Select(i => (long)i * count / n).ToArray();
    }

    /// <summary>The probe batch of <paramref name="train"/>: its <see cref="Indices"/>, at most <see cref="ProbeImages"/> and the evaluation pixel budget.</summary>
    public static Tensor Batch(DeviceImages train)
    {
        var indices = Indices(train.Count, Evaluation.BatchSize(ProbeImages, train));
        using var index = torch.tensor(indices, device: train.Images.device);
        return train.Images.index_select(0, index);
    }

    /// <summary>Probes <paramref name="model"/> on the probe batch of <paramref name="train"/>, laid out as the model trains (see <see cref="BatchLayout"/>).</summary>
    public static ProbeMetrics Measure(SequentialNetwork model, DeviceImages train, bool channelsLast)
    {
        using var scope = torch.NewDisposeScope();
        return Measure(model, BatchLayout.Prepare(Batch(train), channelsLast));
    }

    /// <summary>Probes <paramref name="model"/> on <paramref name="batch"/> (N x C x H x W, in the layout the model trains on).</summary>
    public static ProbeMetrics Measure(SequentialNetwork model, Tensor batch)
    {
        model.eval();
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var layers = new List<LayerDeadUnits>();
        var x = batch;
        foreach (var stage in model.Stages)
        {
            x = stage.Module.forward(x);
            if (!stage.EndsWithRelu) continue;
            // Largest output of each unit over the batch (and positions): a ReLU output is never negative, so <= 0 is dead.
            long[] over = x.dim() == 4 ? [0, 2, 3] : [0];
            using var largest = x.amax(over);
            long units = largest.numel();
            long dead = largest.le(0).sum().item<long>();
            layers.Add(new LayerDeadUnits(stage.Name, units, dead));
        }
        return new ProbeMetrics(
            layers.Sum(l => l.Units) is var total and > 0 ? (double)layers.Sum(l => l.Dead) / total : 0,
            LogitSpread(x),
            layers);
    }

    /// <summary>SD over the images of (largest logit - second largest logit); 0 for a single image or a single class.</summary>
    public static double LogitSpread(Tensor logits)
    {
        if (logits.shape[0] < 2 || logits.shape[1] < 2) return 0;
        using var scope = torch.NewDisposeScope();
        var top = logits.to(ScalarType.Float64).topk(2, dim: 1).values;
        var margin = top.select(1, 0) - top.select(1, 1);
        return margin.std(unbiased: false).item<double>();
    }
}
