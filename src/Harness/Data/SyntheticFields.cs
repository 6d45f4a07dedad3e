using System.Globalization;
using Harness.Specs;

namespace Harness.Data;

/// <summary>
/// Synthetic data sets made the way the published Snf7 and Snap29 sets were made (reference/published-results.md):
/// whole fields of many cells per class (<see cref="SyntheticCells.RenderField"/>; one-colour presets as grey images),
/// converted to 8 bits with one
/// contrast stretch, cut into tiles by <see cref="ImageTiler.Cut"/> (the code of <c>harness data tile</c>), each tile
/// rotated by <see cref="ImageRotation.Rotate"/> (the code of <c>harness data rotate</c>) in fixed steps (or, with
/// <see cref="SyntheticFieldsSpec.IdenticalCopies"/>, copied unrotated under each angle's name, as the published snippet did) and saved
/// as 8 bits again, named <c>&lt;field&gt;_t&lt;row&gt;x&lt;col&gt;_&lt;angle&gt;</c>. A training folder holds several
/// rotated copies of a limited number of tiles, so memorizing tiles is easy; test sets come from other fields.
/// </summary>
/// <remarks>
/// <para>The contrast stretch maps the 0.1th-99.9th percentile of every training field's pixels (both classes pooled,
/// per channel) to 0-255; test fields use the same map. One map for all fields, rather than one per field, keeps the
/// class from leaking into a tile's brightness through its field-mates, so each tile's Bayes-optimal accuracy stays
/// exactly <see cref="SyntheticPreset.BayesOptimalAccuracy"/>: its puncta lie inside its inscribed circle, so every
/// rotated copy holds the same puncta.</para>
/// <para>In memory the images equal, value for value, what <c>harness data synth</c> writes as PNG and a folder spec
/// reads back (8-bit values / 255).</para>
/// </remarks>
public static class SyntheticFields
{
    /// <summary>Changes whenever fields, stretch, tiling or rotation change, so that fingerprints change with them.</summary>
    public const string GeneratorVersion = "synthetic-fields-v3";

    /// <summary>Percentiles of the 8-bit conversion.</summary>
    public const double StretchLow = 0.1, StretchHigh = 99.9;

    /// <summary>Fill of the rotated corners (as <c>harness data rotate</c>'s default).</summary>
    public const string RotationFill = "reflect";

    /// <summary>Name of test set <paramref name="index"/> (0-based): <c>test</c>, then <c>test2</c>, <c>test3</c>, ...</summary>
    public static string TestSetName(int index) => index == 0 ? "test" : FormattableString.Invariant($"test{index + 1}");

    /// <summary>One generated split: its name and images.</summary>
    /// <param name="Name"><c>train</c> or a test set's name.</param>
    /// <param name="Images">The images, prepared by the image spec (or raw 3 x Size x Size RGB).</param>
    public sealed record Split(string Name, LabeledImages Images);

    /// <summary>
    /// The training split and the test sets of <paramref name="spec"/> (which must have <see cref="SyntheticDataSpec.Fields"/>),
    /// each image prepared for the network by <paramref name="image"/> (null: raw 8-bit RGB at the tile size), and
    /// notes describing what was made.
    /// </summary>
    public static (IReadOnlyList<Split> Splits, IReadOnlyDictionary<string, string> Notes) Generate(SyntheticDataSpec spec, ImageSpec? image)
    {
        var recipe = spec.Fields ?? throw new ArgumentException("synthetic data without fields: use SyntheticCells.Generate", nameof(spec));
        if (recipe.Train < 1 || recipe.Test < 1 || recipe.TestSets < 1 || recipe.Grid < 1 || recipe.RotationStep < 0 || (recipe.RotationStep > 0 && 360 % recipe.RotationStep != 0))
            throw new ArgumentException("synthetic fields: train, test, test_sets and grid must be at least 1, and rotation_step a divisor of 360 (or 0)");
        var cells = new SyntheticCells(spec.Preset, spec.Size);
        var splits = new List<(string Name, int Fields)> { ("train", recipe.Train) };
        for (int t = 0; t < recipe.TestSets; t++) splits.Add((TestSetName(t), recipe.Test));

        // Every field of every split, rendered in parallel (each a pure function of its seed).
        var plan = splits.SelectMany(sp => Enumerable.Range(0, cells.Preset.ClassNames.Count)
            .SelectMany(c => Enumerable.Range(0, sp.Fields).Select(f => new FieldPlan(sp.Name, c, f)))).ToArray();
        var fields = new float[plan.Length][];
        Parallel.For(0, plan.Length, i =>
        {
            fields[i] = cells.RenderField(plan[i].Class, FieldSeed(spec.DataSeed, plan[i].Split, plan[i].Class, plan[i].Field), recipe.Grid).Pixels;
            if (!cells.Preset.TwoColour) AsGrey(fields[i]);
        });

        int side = checked(spec.Size * recipe.Grid);
        var (low, high) = StretchRange(Enumerable.Range(0, plan.Length).Where(i => plan[i].Split == "train").Select(i => fields[i]).ToArray(), side);
        var notes = Notes(spec, cells.Preset, low, high);
        var result = new List<Split>();
        foreach (var (name, _) in splits)
        {
            var members = Enumerable.Range(0, plan.Length).Where(i => plan[i].Split == name).ToArray(); // class-major, then field
            // The 8-bit field, then its tiles (as harness data tile cuts them).
            var tiles = new IReadOnlyList<ImageTile>[members.Length];
            Parallel.For(0, members.Length, m => tiles[m] = ImageTiler.Cut(ToEightBit(fields[members[m]], side, low, high), 3, side, side, spec.Size, spec.Size));
            var images = Copies(spec, image, name, members.Select(i => plan[i]).ToArray(), tiles, cells.Preset.ClassNames);
            result.Add(new Split(name, images));
            notes[$"{name}_count"] = Invariant(images.Count);
        }
        return (result, notes);
    }

    /// <summary>Which field of which split and class.</summary>
    private sealed record FieldPlan(string Split, int Class, int Field);

    /// <summary>What run.yaml records of the recipe.</summary>
    private static SortedDictionary<string, string> Notes(SyntheticDataSpec spec, SyntheticPreset preset, double[] low, double[] high)
    {
        var recipe = spec.Fields!;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = "synthetic",
            ["recipe"] = "fields",
            ["preset"] = spec.Preset,
            ["classes"] = string.Join(",", preset.ClassNames),
            ["data_seed"] = Invariant(spec.DataSeed),
            ["synthetic_size"] = Invariant(spec.Size),
            ["generator"] = $"{SyntheticCells.GeneratorVersion}+{GeneratorVersion}",
            ["fields_train_per_class"] = Invariant(recipe.Train),
            ["fields_test_per_class"] = Invariant(recipe.Test),
            ["field_grid"] = Invariant(recipe.Grid),
            ["rotation_angles"] = string.Join(",", recipe.Angles()),
            ["copies"] = recipe.Copies,
            ["stretch_8bit_low"] = string.Join(",", low.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            ["stretch_8bit_high"] = string.Join(",", high.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            ["bayes_optimal_accuracy"] = preset.BayesOptimalAccuracy().ToString("0.0000", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// Every tile of <paramref name="fields"/> under every angle (rotated, or copied when the copies are identical),
    /// saved as 8 bits and prepared by <paramref name="image"/> (null: raw 8-bit RGB).
    /// </summary>
    private static LabeledImages Copies(SyntheticDataSpec spec, ImageSpec? image, string split, FieldPlan[] fields,
        IReadOnlyList<ImageTile>[] tiles, IReadOnlyList<string> classes)
    {
        var recipe = spec.Fields!;
        var angles = recipe.Angles();
        int copiesPerField = recipe.Grid * recipe.Grid * angles.Count;
        int n = checked(fields.Length * copiesPerField);
        int channels = image?.ColorMode.ChannelCount ?? 3, height = image?.Height ?? spec.Size, width = image?.Width ?? spec.Size;
        int imageSize = checked(channels * height * width);
        var pixels = new float[checked((long)n * imageSize)];
        var labels = new int[n];
        var sources = new string[n];
        var groups = new string[n];
        Parallel.For(0, n, i =>
        {
            int m = i / copiesPerField, rest = i % copiesPerField;
            var tile = tiles[m][rest / angles.Count];
            int angle = angles[rest % angles.Count];
            int c = fields[m].Class;
            string field = FieldName(split, classes[c], fields[m].Field);
            var rotated = angle == 0 || recipe.CopiesAreIdentical ? (float[])tile.Pixels.Clone() : ImageRotation.Rotate(tile.Pixels, 3, spec.Size, spec.Size, angle, RotationFill);
            Quantize(rotated); // saved as an 8-bit PNG
            labels[i] = c;
            sources[i] = $"{split}/{classes[c]}/{ImageTiler.TileName(field, tile.Row, tile.Col, "")}_{Invariant(angle)}";
            groups[i] = field;
            var target = pixels.AsSpan(checked((int)((long)i * imageSize)), imageSize);
            if (image is null) rotated.CopyTo(target);
            else ImagePreprocessing.Prepare(rotated, spec.Size, spec.Size, image, target);
        });
        return new LabeledImages(pixels, labels, channels, height, width, sources, groups);
    }

    /// <summary>
    /// Writes the data set of <paramref name="spec"/> as a run sees it: <c>DIR/train/&lt;class&gt;/&lt;tile&gt;_&lt;angle&gt;.png</c>
    /// and one folder per test set, 8-bit RGB PNG; returns the files written per split.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Export(SyntheticDataSpec spec, string outDir)
    {
        var (splits, _) = Generate(spec, null);
        var written = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var split in splits)
        {
            var images = split.Images;
            Parallel.For(0, images.Count, i =>
            {
                string relative = images.Sources[i]; // split/class/name
                PngWriter.Write(Path.Combine(outDir, relative + ".png"), images.Pixels.AsSpan(i * images.ImageSize, images.ImageSize), 3, images.Height, images.Width);
            });
            written[split.Name] = images.Count;
        }
        return written;
    }

    /// <summary>The seed of field <paramref name="field"/> of class <paramref name="classIndex"/> in split <paramref name="split"/>.</summary>
    public static ulong FieldSeed(int dataSeed, string split, int classIndex, int field) =>
        SeededGenerator.Mix((ulong)(uint)dataSeed, SeededGenerator.StableHash("field"), SeededGenerator.StableHash(split), (ulong)(uint)classIndex, (ulong)(uint)field);

    /// <summary>A field's name, e.g. <c>train-control-F01</c>: its tiles and their rotated copies share it as their source group.</summary>
    public static string FieldName(string split, string className, int field) => FormattableString.Invariant($"{split}-{className}-F{field:D2}");

    /// <summary>Per channel (R, G, B), the 8-bit conversion's range over the given fields' pixels; a channel without signal keeps (0, 0).</summary>
    private static (double[] Low, double[] High) StretchRange(IReadOnlyList<float[]> fields, int side)
    {
        int plane = side * side;
        var low = new double[3];
        var high = new double[3];
        for (int c = 0; c < 3; c++)
            (low[c], high[c]) = InputNormalization.Percentiles(fields.Select(f => new ReadOnlyMemory<float>(f, c * plane, plane)).ToArray(), StretchLow, StretchHigh);
        return (low, high);
    }

    /// <summary>
    /// A one-colour micrograph converted to 8 bits is a grey image, and read as RGB (as Keras's
    /// <c>flow_from_directory</c> read the published PNGs) its grey value fills all three channels: the green plane
    /// (where one-colour presets render) is copied to red and blue.
    /// </summary>
    private static void AsGrey(float[] field)
    {
        int plane = field.Length / 3;
        Array.Copy(field, plane, field, 0, plane);
        Array.Copy(field, plane, field, 2 * plane, plane);
    }

    private static float[] ToEightBit(float[] field, int side, double[] low, double[] high)
    {
        int plane = side * side;
        var result = new float[field.Length];
        for (int c = 0; c < 3; c++)
        {
            double range = high[c] - low[c];
            if (range <= 1e-12) continue; // no signal in this channel: stays 0
            for (int p = c * plane; p < (c + 1) * plane; p++)
                result[p] = MathF.Round((float)Math.Clamp((field[p] - low[c]) / range, 0, 1) * 255f) * FromEightBit;
        }
        return result;
    }

    private static void Quantize(float[] pixels)
    {
        for (int i = 0; i < pixels.Length; i++) pixels[i] = MathF.Round(Math.Clamp(pixels[i], 0f, 1f) * 255f) * FromEightBit;
    }

    /// <summary>An 8-bit value's float, computed as <see cref="ImageDecoder.Rescale"/> computes it for an 8-bit PNG, so both agree bit for bit.</summary>
    private static readonly float FromEightBit = (float)(1.0 / 255);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
