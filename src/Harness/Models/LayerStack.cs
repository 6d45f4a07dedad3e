using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Harness.Models;

/// <summary>
/// Builds a Keras-style sequential stack while tracking the output shape, so flatten sizes follow the input
/// size instead of being hard-coded, and the summary comes from the same arithmetic that builds the layers.
/// Conv and dense layers carry their ReLU, as Keras's <c>activation='relu'</c> does.
/// </summary>
public sealed class LayerStack
{
    private readonly List<(string Name, Module<Tensor, Tensor> Module)> layers = [];
    private readonly List<LayerSummary> summary = [];
    private readonly HashSet<string> relus = new(StringComparer.Ordinal);
    private int channels, height, width, features;
    private bool flat;
    private int convs, pools, norms, denses, drops;

    private readonly bool shapesOnly;

    /// <summary>A stack for inputs of <paramref name="shape"/>.</summary>
    public LayerStack(ModelShape shape) : this(shape, shapesOnly: false) { }

    /// <summary>
    /// A stack that only follows the shapes (and throws for inputs too small, as a real build does) without creating
    /// any module: spec checks use it without loading libtorch or allocating weights.
    /// </summary>
    internal LayerStack(ModelShape shape, bool shapesOnly)
    {
        Shape = shape;
        this.shapesOnly = shapesOnly;
        (channels, height, width) = (shape.Channels, shape.Height, shape.Width);
    }

    /// <summary>The input and class count the stack is built for.</summary>
    public ModelShape Shape { get; }

    /// <summary>The summary rows so far.</summary>
    public IReadOnlyList<LayerSummary> Summary => summary;

    /// <summary>The named layers so far.</summary>
    public IReadOnlyList<(string Name, Module<Tensor, Tensor> Module)> Layers => layers;

    /// <summary>Convolution with ReLU; <paramref name="same"/> pads to keep the size (stride 1), otherwise valid.</summary>
    public LayerStack Conv(int filters, int kernel = 3, int stride = 1, bool same = true, bool relu = true)
    {
        RequireSpatial("Conv2D");
        string name = $"conv{++convs}";
        int inputs = channels;
        if (!same && (height < kernel || width < kernel)) throw new ArgumentException($"{name}: the input {Shape.Height}x{Shape.Width} is too small for this architecture");
        if (!same) { height = (height - kernel) / stride + 1; width = (width - kernel) / stride + 1; }
        else { height = (height + stride - 1) / stride; width = (width + stride - 1) / stride; }
        if (height < 1 || width < 1) throw new ArgumentException($"{name}: the input {Shape.Height}x{Shape.Width} is too small for this architecture");
        long trainable = (long)channels * kernel * kernel * filters + filters;
        channels = filters;
        if (relu) relus.Add(name);
        Add(name, () =>
        {
            var conv = same
                ? Conv2d(inputs, filters, kernel, stride: stride, padding: kernel / 2)
                : Conv2d(inputs, filters, kernel, stride: stride);
            return relu ? Sequential(("conv", conv), ("relu", ReLU(inplace: true))) : conv;
        }, "Conv2D", trainable, 0);
        return this;
    }

    /// <summary>Max pooling (valid, as Keras's default): floor((size - kernel) / stride) + 1.</summary>
    public LayerStack Pool(int kernel = 2, int stride = 2)
    {
        RequireSpatial("MaxPooling2D");
        string name = $"pool{++pools}";
        if (height < kernel || width < kernel) throw new ArgumentException($"{name}: the input {Shape.Height}x{Shape.Width} is too small for this architecture");
        height = (height - kernel) / stride + 1;
        width = (width - kernel) / stride + 1;
        if (height < 1 || width < 1) throw new ArgumentException($"{name}: the input {Shape.Height}x{Shape.Width} is too small for this architecture");
        Add(name, () => MaxPool2d(kernel, stride), "MaxPooling2D", 0, 0);
        return this;
    }

    /// <summary>Batch normalization over channels (gamma and beta trainable; moving mean and variance not).</summary>
    public LayerStack BatchNorm()
    {
        RequireSpatial("BatchNormalization");
        int normed = channels;
        Add($"norm{++norms}", () => BatchNorm2d(normed), "BatchNormalization", 2L * channels, 2L * channels);
        return this;
    }

    /// <summary>Flattens C x H x W to one feature vector.</summary>
    public LayerStack FlattenFeatures()
    {
        RequireSpatial("Flatten");
        features = channels * height * width;
        flat = true;
        Add("flatten", () => Flatten(), "Flatten", 0, 0);
        return this;
    }

    /// <summary>Dropout with probability <paramref name="p"/> (active in training mode only).</summary>
    public LayerStack DropoutLayer(double p)
    {
        Add($"dropout{++drops}", () => Dropout(p), "Dropout", 0, 0);
        return this;
    }

    /// <summary>Fully connected layer, with ReLU unless it is the output (softmax is applied by the loss).</summary>
    public LayerStack Dense(int units, bool relu = true)
    {
        if (!flat) throw new InvalidOperationException("Dense before Flatten");
        string name = $"fc{++denses}";
        int inputs = features;
        long trainable = (long)features * units + units;
        features = units;
        if (relu) relus.Add(name);
        Add(name, () =>
        {
            var linear = Linear(inputs, units);
            return relu ? Sequential(("linear", linear), ("relu", ReLU(inplace: true))) : linear;
        }, "Dense", trainable, 0);
        return this;
    }

    /// <summary>True when layer <paramref name="name"/> ends with a ReLU (a conv or dense layer other than the output).</summary>
    public bool EndsWithRelu(string name) => relus.Contains(name);

    /// <summary>The output layer: <see cref="ModelShape.Classes"/> logits.</summary>
    public LayerStack Output() => Dense(Shape.Classes, relu: false);

    private void RequireSpatial(string kind)
    {
        if (flat) throw new InvalidOperationException($"{kind} after Flatten");
    }

    /// <summary>Records a layer; its module is created only for a real build (a lambda, so a shapes-only build never touches libtorch).</summary>
    private void Add(string name, Func<Module<Tensor, Tensor>> module, string kind, long trainable, long nonTrainable)
    {
        if (!shapesOnly) layers.Add((name, module()));
        summary.Add(new LayerSummary(name, kind, flat ? [features] : [channels, height, width], trainable, nonTrainable));
    }
}
