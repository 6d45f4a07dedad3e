using System.Globalization;
using System.Text;

namespace Harness.Models;

/// <summary>A Keras-style model summary: layers, output shapes, parameters, totals.</summary>
/// <param name="Architecture">Architecture name.</param>
/// <param name="Shape">Input and classes it was built for.</param>
/// <param name="Layers">One row per layer.</param>
public sealed record ModelSummary(string Architecture, ModelShape Shape, IReadOnlyList<LayerSummary> Layers)
{
    /// <summary>Trainable parameters.</summary>
    public long Trainable => Layers.Sum(l => l.Trainable);
    /// <summary>Non-trainable values (batch-norm moving statistics).</summary>
    public long NonTrainable => Layers.Sum(l => l.NonTrainable);
    /// <summary>Keras's "Total params".</summary>
    public long Total => Trainable + NonTrainable;

    /// <summary>The table as <c>model.summary()</c> prints it, shapes as (None, C, H, W).</summary>
    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Model: {Architecture}  (input {Shape.Channels} x {Shape.Height} x {Shape.Width}, {Shape.Classes} classes)");
        text.AppendLine(new string('_', 72));
        text.AppendLine(c, $"{"Layer (type)",-30}{"Output Shape",-26}{"Param #",16}");
        text.AppendLine(new string('=', 72));
        foreach (var l in Layers)
            text.AppendLine(c, $"{$"{l.Name} ({l.Kind})",-30}{$"(None, {string.Join(", ", l.OutputShape)})",-26}{(l.Trainable + l.NonTrainable).ToString("N0", c),16}");
        text.AppendLine(new string('=', 72));
        text.AppendLine(c, $"Total params: {Total.ToString("N0", c)}");
        text.AppendLine(c, $"Trainable params: {Trainable.ToString("N0", c)}");
        text.AppendLine(c, $"Non-trainable params: {NonTrainable.ToString("N0", c)}");
        return text.ToString();
    }
}
