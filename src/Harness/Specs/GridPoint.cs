using System.Globalization;

namespace Harness.Specs;

/// <summary>Applies one grid value (already validated by the loader) to an experiment's records.</summary>
public static class GridPoint
{
    /// <summary><paramref name="spec"/> with <paramref name="keyPath"/> set to <paramref name="value"/>.</summary>
    public static ExperimentSpec Apply(ExperimentSpec spec, string keyPath, string value)
    {
        var c = CultureInfo.InvariantCulture;
        return keyPath switch
        {
            "architecture" => spec with { Architecture = value },
            "init" => spec with { Init = value == "torch" ? InitScheme.Torch : InitScheme.Keras },
            "epochs" => spec with { Epochs = int.Parse(value, c) },
            "batch_size" => spec with { BatchSize = int.Parse(value, c) },
            "threads" => spec with { Threads = int.Parse(value, c) },
            "device" => spec with { Device = value },
            "image.size" => value.Split('x') is [var h, var w]
                ? spec with { Image = spec.Image with { Height = int.Parse(h, c), Width = int.Parse(w, c) } }
                : spec with { Image = spec.Image with { Height = int.Parse(value, c), Width = int.Parse(value, c) } },
            "image.color_mode" => spec with { Image = spec.Image with { ColorMode = ParseColorMode(value, spec.Image.ColorMode.MonoReduction) } },
            "image.mono_reduction" => spec with { Image = spec.Image with { ColorMode = spec.Image.ColorMode with { MonoReduction = value } } },
            "image.rescale" => spec with { Image = spec.Image with { Rescale = value } },
            "image.resize_filter" => spec with { Image = spec.Image with { ResizeFilter = value } },
            "image.normalize" => spec with { Image = spec.Image with { Normalize = value == "none" ? null : value } },
            "optimizer.name" => spec with { Optimizer = spec.Optimizer with { Name = value } },
            "optimizer.lr" => spec with { Optimizer = spec.Optimizer with { LearningRate = double.Parse(value, c) } },
            "optimizer.l2" => spec with { Optimizer = spec.Optimizer with { L2 = double.Parse(value, c) } },
            "optimizer.momentum" => spec with { Optimizer = spec.Optimizer with { Momentum = double.Parse(value, c) } },
            "optimizer.decay" => spec with { Optimizer = spec.Optimizer with { Decay = double.Parse(value, c) } },
            "optimizer.epsilon" => spec with { Optimizer = spec.Optimizer with { Epsilon = double.Parse(value, c) } },
            "optimizer.betas" => value.Split('/') is [var b1, var b2]
                ? spec with { Optimizer = spec.Optimizer with { Beta1 = double.Parse(b1, c), Beta2 = double.Parse(b2, c) } }
                : throw new ArgumentException($"optimizer.betas: '{value}' is not two numbers joined with '/'"),
            // Every condition trains on its own data; the grid sets the subset size in each (the loader refuses
            // a grid over it when a condition sets it itself).
            "data.train_subset" => spec with
            {
                Conditions = spec.Conditions.Select(x => x with { Data = x.Data with { TrainSubset = int.Parse(value, c) } }).ToArray(),
            },
            _ => throw new ArgumentException($"'{keyPath}' cannot be varied in a grid"),
        };
    }

    /// <summary>rgb, mono, or channels joined with '+'.</summary>
    public static ColorMode ParseColorMode(string value, string reduction = "mean") => value switch
    {
        "rgb" => new ColorMode("rgb", [], reduction),
        "mono" => new ColorMode("mono", [], reduction),
        _ => new ColorMode("channels", value.Split('+'), reduction),
    };
}
