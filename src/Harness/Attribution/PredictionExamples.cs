using System.Globalization;
using Harness.Data;
using Harness.Tracking;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Attribution;

/// <summary>
/// After a run finishes, keeps what the report needs to draw its image figures: a panel of test images with
/// predicted class, confidence and true class (<c>panel.csv</c> + <c>panel/*.png</c>, figure F5), and gradient ×
/// input maps for images of both classes (<c>attribution.csv</c> + <c>attribution/*.png</c>, figure F6).
/// The images are spread evenly over each class of the primary test set, so every seed shows the same ones.
/// </summary>
public static class PredictionExamples
{
    /// <summary>Panel images per class.</summary>
    public const int PanelPerClass = 6;

    /// <summary>Attribution maps per class.</summary>
    public const int AttributionPerClass = 2;

    /// <summary>Writes the panel and attribution files of a finished run into <paramref name="runDirectory"/>.</summary>
    public static void Write(string runDirectory, nn.Module<Tensor, Tensor> model, LabeledImages test, IReadOnlyList<string> classNames, Device device)
    {
        var chosen = Enumerable.Range(0, classNames.Count)
            .SelectMany(c => SpreadOver(Enumerable.Range(0, test.Count).Where(i => test.Labels[i] == c).ToArray(), PanelPerClass))
            .ToArray();
        if (chosen.Length == 0) return;
        int size = test.ImageSize;
        var pixels = new float[chosen.Length * size];
        for (int k = 0; k < chosen.Length; k++) Array.Copy(test.Pixels, (long)chosen[k] * size, pixels, (long)k * size, size);

        using var scope = torch.NewDisposeScope();
        var images = torch.tensor(pixels, [chosen.Length, test.Channels, test.Height, test.Width]).to(device);
        float[] probabilities;
        model.eval();
        using (torch.no_grad()) probabilities = nn.functional.softmax(model.forward(images), 1).cpu().data<float>().ToArray();
        int k0 = classNames.Count;
        var predicted = new int[chosen.Length];
        var confidence = new double[chosen.Length];
        for (int k = 0; k < chosen.Length; k++)
        {
            var row = probabilities.AsSpan(k * k0, k0);
            int best = 0;
            for (int c = 1; c < k0; c++) if (row[c] > row[best]) best = c;
            predicted[k] = best;
            confidence[k] = row[best];
        }

        Directory.CreateDirectory(Path.Combine(runDirectory, "panel"));
        var panelRows = new List<IReadOnlyList<string>>();
        var shown = ForDisplay(pixels, test.Channels, test.Height * test.Width);
        for (int k = 0; k < chosen.Length; k++)
        {
            string file = $"panel/{k:000}.png";
            PngWriter.Write(Path.Combine(runDirectory, file), AsRgb(shown.AsSpan(k * size, size), test.Channels, test.Height * test.Width), 3, test.Height, test.Width);
            panelRows.Add([file, test.Sources[chosen[k]], classNames[test.Labels[chosen[k]]], classNames[predicted[k]],
                confidence[k].ToString("R", CultureInfo.InvariantCulture)]);
        }
        TidyCsv.Write(Path.Combine(runDirectory, "panel.csv"), ["file", "source", "true_class", "predicted_class", "confidence"], panelRows);

        // Attribution for the first images of each class, explaining the predicted class.
        var forMaps = Enumerable.Range(0, chosen.Length)
            .GroupBy(k => test.Labels[chosen[k]]).SelectMany(g => g.Take(AttributionPerClass)).ToArray();
        using var subset = images.index_select(0, torch.tensor(forMaps.Select(k => (long)k).ToArray(), device: device));
        var maps = GradientTimesInput.Maps(model, subset, forMaps.Select(k => predicted[k]).ToArray());
        Directory.CreateDirectory(Path.Combine(runDirectory, "attribution"));
        var attributionRows = new List<IReadOnlyList<string>>();
        for (int j = 0; j < forMaps.Length; j++)
        {
            int k = forMaps[j];
            string file = $"attribution/{k:000}.png";
            PngWriter.Write(Path.Combine(runDirectory, file), maps[j], 1, test.Height, test.Width);
            attributionRows.Add([file, $"panel/{k:000}.png", classNames[test.Labels[chosen[k]]], classNames[predicted[k]]]);
        }
        TidyCsv.Write(Path.Combine(runDirectory, "attribution.csv"), ["file", "image_file", "true_class", "predicted_class"], attributionRows);
    }

    /// <summary>
    /// The panel's pixels as they can be shown: inputs already in [0, 1] (rescaled or stretched) as they are; standardized
    /// inputs mapped per channel from the panel's own minimum and maximum to [0, 1], one map for every image of the
    /// panel, so brightness still compares across images.
    /// </summary>
    private static float[] ForDisplay(float[] pixels, int channels, int plane)
    {
        if (pixels.All(v => v >= 0 && v <= 1)) return pixels;
        var shown = new float[pixels.Length];
        int images = pixels.Length / (channels * plane);
        for (int c = 0; c < channels; c++)
        {
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            for (int k = 0; k < images; k++)
                foreach (var v in pixels.AsSpan((k * channels + c) * plane, plane)) { min = Math.Min(min, v); max = Math.Max(max, v); }
            float range = max > min ? max - min : 1;
            for (int k = 0; k < images; k++)
                for (int p = (k * channels + c) * plane, end = p + plane; p < end; p++) shown[p] = (pixels[p] - min) / range;
        }
        return shown;
    }

    /// <summary>
    /// <paramref name="count"/> of <paramref name="indices"/> spread evenly over the list (all of them when fewer): a
    /// folder of rotated copies (<c>C100_-180</c>, <c>C100_-162</c>, ...) then shows different tiles, not one tile turned.
    /// </summary>
    internal static IEnumerable<int> SpreadOver(int[] indices, int count) =>
        indices.Length <= count ? indices : Enumerable.Range(0, count).Select(k => indices[(int)((long)k * indices.Length / count)]);

    /// <summary>Network input as an RGB picture: 3 channels as they are, 1 channel as grey, 2 channels as red + green.</summary>
    private static float[] AsRgb(ReadOnlySpan<float> image, int channels, int plane)
    {
        var rgb = new float[3 * plane];
        for (int c = 0; c < 3; c++)
        {
            int source = channels == 1 ? 0 : c;
            if (source < channels) image.Slice(source * plane, plane).CopyTo(rgb.AsSpan(c * plane, plane));
        }
        return rgb;
    }
}
