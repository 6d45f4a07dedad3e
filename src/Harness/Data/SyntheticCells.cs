namespace Harness.Data;

/// <summary>
/// Renders synthetic fluorescence cell images for a <see cref="SyntheticPreset"/>: square images of
/// <see cref="Size"/> pixels, three channels (R, G, B) in [0, 1], laid out C x H x W. Each image is a pure
/// function of (class, image seed), and the image seed of the i-th image of a class in a split is derived from
/// the data seed (<see cref="ImageSeed"/>), so any single image can be regenerated on its own.
/// </summary>
/// <remarks>
/// An image holds <see cref="SyntheticPreset.CellsPerImage"/> cells: a soft elliptical cytoplasm (green), a
/// nucleus (red for two-colour presets, a faint green blob for one-colour presets) and Poisson-many puncta,
/// small Gaussian spots inside the cytoplasm (green). The image is then blurred with a Gaussian (the optics)
/// and given signal-dependent Gaussian noise with standard deviation sqrt(0.004 x + 0.01²) (shot noise plus
/// read noise; normals drawn from a table of 2^16 quantiles), and clamped to [0, 1]. The blue channel is always zero; in one-colour presets red is zero too.
/// </remarks>
public sealed class SyntheticCells
{
    /// <summary>Changes whenever the rendering changes, so that dataset fingerprints change with it.</summary>
    public const string GeneratorVersion = "synthetic-cells-v2";

    private const double ShotNoiseGain = 0.004;
    private const double ReadNoise = 0.01;

    private readonly float[] _blurKernel;
    private readonly double _punctumSigma;

    /// <summary>Creates a renderer for a preset at a given image side.</summary>
    public SyntheticCells(SyntheticPreset preset, int size)
    {
        if (size < 8) throw new ArgumentOutOfRangeException(nameof(size), size, "Synthetic images need at least 8 x 8 pixels.");
        Preset = preset;
        Size = size;
        _punctumSigma = Math.Max(0.6, size * preset.PunctumSizeFraction);
        _blurKernel = GaussianKernel(Math.Max(0.5, size / 256.0));
    }

    /// <summary>Creates a renderer for a preset name.</summary>
    public SyntheticCells(string preset, int size)
        : this(SyntheticPreset.Get(preset), size)
    {
    }

    /// <summary>The preset.</summary>
    public SyntheticPreset Preset { get; }

    /// <summary>Side of the square images in pixels.</summary>
    public int Size { get; }

    /// <summary>The Bayes-optimal accuracy of a preset (see <see cref="SyntheticPreset.BayesOptimalAccuracy"/>).</summary>
    public static double BayesOptimalAccuracy(string preset) => SyntheticPreset.Get(preset).BayesOptimalAccuracy();

    /// <summary>The seed of image <paramref name="index"/> of class <paramref name="classIndex"/> in a split (<c>train</c>, <c>test</c>).</summary>
    public static ulong ImageSeed(int dataSeed, string split, int classIndex, int index) =>
        SeededGenerator.Mix((ulong)(uint)dataSeed, SeededGenerator.StableHash(split), (ulong)(uint)classIndex, (ulong)(uint)index);

    /// <summary>The latent variable of an image: its total number of puncta over all cells (no rendering).</summary>
    public int TotalPuncta(int classIndex, ulong imageSeed) =>
        DrawCells(classIndex, new SeededGenerator(imageSeed)).Sum(c => c.Puncta.Length);

    /// <summary>Renders one image: 3 x Size x Size floats in [0, 1].</summary>
    public float[] Render(int classIndex, ulong imageSeed)
    {
        var rng = new SeededGenerator(imageSeed);
        var cells = DrawCells(classIndex, rng);
        return Paint(cells, Size, rng);
    }

    /// <summary>
    /// Renders <paramref name="perClass"/> images of every class for a split (<c>train</c> or <c>test</c>) at
    /// <see cref="Size"/>: class 0's images first, then class 1's. Sources are <c>split/class/index</c>; each
    /// image is its own group.
    /// </summary>
    public LabeledImages Generate(string split, int perClass, int dataSeed) => Generate(split, perClass, dataSeed, null);

    /// <summary>
    /// As <see cref="Generate(string, int, int)"/>, each image prepared for the network by <paramref name="image"/>
    /// (resize, colour mode) as it is rendered, so the full-size RGB set is never held; null keeps raw RGB at <see cref="Size"/>.
    /// </summary>
    public LabeledImages Generate(string split, int perClass, int dataSeed, Harness.Specs.ImageSpec? image)
    {
        var n = Preset.ClassNames.Count * perClass;
        int channels = image?.ColorMode.ChannelCount ?? 3, height = image?.Height ?? Size, width = image?.Width ?? Size;
        var imageSize = channels * height * width;
        var pixels = new float[(long)n * imageSize];
        var labels = new int[n];
        var sources = new string[n];
        Parallel.For(0, n, i =>
        {
            var c = i / perClass;
            var k = i % perClass;
            labels[i] = c;
            sources[i] = SourceId(split, Preset.ClassNames[c], k);
            var rgb = Render(c, ImageSeed(dataSeed, split, c, k));
            var target = pixels.AsSpan(i * imageSize, imageSize);
            if (image is null) rgb.CopyTo(target);
            else ImagePreprocessing.Prepare(rgb, Size, Size, image, target);
        });
        return new LabeledImages(pixels, labels, channels, height, width, sources, sources);
    }

    /// <summary>Largest distance of a cell centre from its tile's centre in a field (<see cref="RenderField"/>), as a fraction of the tile side.</summary>
    public const double InscribedCentreRadius = 0.28;

    /// <summary>
    /// Renders one field, a micrograph of <paramref name="grid"/> x <paramref name="grid"/> tile regions of
    /// <see cref="Size"/> pixels, each holding <see cref="SyntheticPreset.CellsPerImage"/> cells of class
    /// <paramref name="classIndex"/> drawn as for one image, but centred within the region's inscribed circle (see
    /// <see cref="InscribedCentreRadius"/>); optics blur and noise act on the whole field. Returns 3 x F x F floats
    /// (F = grid x Size) in [0, 1] and each region's puncta count (row by row), the latent variable of its tile.
    /// </summary>
    public (float[] Pixels, int[] PunctaPerTile) RenderField(int classIndex, ulong fieldSeed, int grid)
    {
        if (grid < 1) throw new ArgumentOutOfRangeException(nameof(grid), grid, "A field needs at least one tile region.");
        var rng = new SeededGenerator(fieldSeed);
        var cells = new List<Cell>();
        var counts = new int[grid * grid];
        for (var r = 0; r < grid; r++)
            for (var c = 0; c < grid; c++)
            {
                var region = DrawCells(classIndex, rng, c * Size, r * Size, inscribed: true);
                counts[r * grid + c] = region.Sum(cell => cell.Puncta.Length);
                cells.AddRange(region);
            }
        return (Paint(cells, checked(Size * grid), rng), counts);
    }

    /// <summary>
    /// Paints <paramref name="cells"/> on a canvas of <paramref name="side"/> pixels (cytoplasm, nuclei, puncta), then
    /// blurs it and adds noise from <paramref name="rng"/>: 3 x side x side floats in [0, 1].
    /// </summary>
    private float[] Paint(IReadOnlyList<Cell> cells, int side, SeededGenerator rng)
    {
        var s = side;
        var plane = checked(s * s);
        var pixels = new float[checked(3 * plane)];
        var red = pixels.AsSpan(0, plane);
        var green = pixels.AsSpan(plane, plane);
        green.Fill(0.03f);
        if (Preset.TwoColour) red.Fill(0.02f);
        foreach (var cell in cells) SoftEllipse(green, s, cell.X, cell.Y, cell.Rx, cell.Ry, cell.Brightness, useMax: true);
        foreach (var cell in cells)
        {
            if (Preset.TwoColour)
                SoftEllipse(red, s, cell.NucleusX, cell.NucleusY, cell.NucleusRadius, cell.NucleusRadius, cell.NucleusBrightness, useMax: true);
            else
                SoftEllipse(green, s, cell.NucleusX, cell.NucleusY, cell.NucleusRadius, cell.NucleusRadius, 0.25 * cell.NucleusBrightness, useMax: false);
            foreach (var p in cell.Puncta) GaussianSpot(green, s, p.X, p.Y, _punctumSigma, p.Brightness);
        }
        var scratch = new float[plane];
        Blur(green, s, scratch);
        AddNoise(green, rng);
        if (Preset.TwoColour)
        {
            Blur(red, s, scratch);
            AddNoise(red, rng);
        }
        return pixels;
    }

    /// <summary>The source id of a generated image, e.g. <c>train/control/0007</c>.</summary>
    public static string SourceId(string split, string className, int index) =>
        FormattableString.Invariant($"{split}/{className}/{index:D4}");

    private readonly record struct Punctum(double X, double Y, double Brightness);

    private sealed record Cell(
        double X, double Y, double Rx, double Ry, double Brightness,
        double NucleusX, double NucleusY, double NucleusRadius, double NucleusBrightness,
        Punctum[] Puncta);

    private Cell[] DrawCells(int classIndex, SeededGenerator rng, double originX = 0, double originY = 0, bool inscribed = false)
    {
        if (classIndex < 0 || classIndex >= Preset.ClassNames.Count)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"Preset {Preset.Name} has {Preset.ClassNames.Count} classes.");
        var s = (double)Size;
        var cells = new Cell[Preset.CellsPerImage];
        for (var i = 0; i < cells.Length; i++)
        {
            double x, y;
            if (inscribed)
            {
                // Centres within 0.28 of the side from the tile's centre: every punctum (at most 0.17 from its cell's
                // centre, plus two sigmas of its spot) stays inside the tile's inscribed circle, so no rotation of the
                // tile cuts one off or reflects one in, and the tile's latent count is that of every rotated copy.
                var (sin0, cos0) = Math.SinCos(2 * Math.PI * rng.NextDouble());
                var r0 = InscribedCentreRadius * Math.Sqrt(rng.NextDouble());
                x = originX + (0.5 + r0 * cos0) * s;
                y = originY + (0.5 + r0 * sin0) * s;
            }
            else
            {
                x = originX + rng.NextDouble(0.2, 0.8) * s;
                y = originY + rng.NextDouble(0.2, 0.8) * s;
            }
            var radius = rng.NextDouble(0.13, 0.18) * s;
            var rx = radius * rng.NextDouble(0.85, 1.15);
            var ry = radius * rng.NextDouble(0.85, 1.15);
            var brightness = rng.NextDouble(0.25, 0.4);
            var nx = x + rng.NextDouble(-0.15, 0.15) * rx;
            var ny = y + rng.NextDouble(-0.15, 0.15) * ry;
            var nr = radius * rng.NextDouble(0.35, 0.45);
            var nb = rng.NextDouble(0.5, 0.8);
            var count = rng.NextPoisson(Preset.PunctaPerCell[classIndex]);
            var puncta = new Punctum[count];
            for (var k = 0; k < count; k++)
            {
                var r = 0.8 * Math.Sqrt(rng.NextDouble());
                var (sin, cos) = Math.SinCos(2 * Math.PI * rng.NextDouble());
                puncta[k] = new Punctum(x + r * rx * cos, y + r * ry * sin, rng.NextDouble(Preset.PunctumMinBrightness, Preset.PunctumMaxBrightness));
            }
            cells[i] = new Cell(x, y, rx, ry, brightness, nx, ny, nr, nb, puncta);
        }
        return cells;
    }

    private static void SoftEllipse(Span<float> plane, int s, double cx, double cy, double rx, double ry, double amplitude, bool useMax)
    {
        const double reach = 1.3;
        var x0 = Math.Max(0, (int)Math.Floor(cx - reach * rx));
        var x1 = Math.Min(s - 1, (int)Math.Ceiling(cx + reach * rx));
        var y0 = Math.Max(0, (int)Math.Floor(cy - reach * ry));
        var y1 = Math.Min(s - 1, (int)Math.Ceiling(cy + reach * ry));
        for (var y = y0; y <= y1; y++)
        {
            var dy = (y + 0.5 - cy) / ry;
            var row = plane.Slice(y * s, s);
            for (var x = x0; x <= x1; x++)
            {
                var dx = (x + 0.5 - cx) / rx;
                var t2 = dx * dx + dy * dy;
                if (t2 > reach * reach) continue;
                // A logistic edge: flat inside, falling to half at 0.95 radius.
                var v = (float)(amplitude / (1 + Math.Exp((Math.Sqrt(t2) - 0.95) / 0.05)));
                row[x] = useMax ? Math.Max(row[x], v) : row[x] + v;
            }
        }
    }

    private static void GaussianSpot(Span<float> plane, int s, double cx, double cy, double sigma, double amplitude)
    {
        var reach = 3 * sigma;
        var x0 = Math.Max(0, (int)Math.Floor(cx - reach));
        var x1 = Math.Min(s - 1, (int)Math.Ceiling(cx + reach));
        var y0 = Math.Max(0, (int)Math.Floor(cy - reach));
        var y1 = Math.Min(s - 1, (int)Math.Ceiling(cy + reach));
        if (x0 > x1 || y0 > y1) return;
        Span<float> gx = stackalloc float[x1 - x0 + 1];
        var inv = -1.0 / (2 * sigma * sigma);
        for (var x = x0; x <= x1; x++)
        {
            var d = x + 0.5 - cx;
            gx[x - x0] = (float)Math.Exp(d * d * inv);
        }
        for (var y = y0; y <= y1; y++)
        {
            var d = y + 0.5 - cy;
            var gy = (float)(amplitude * Math.Exp(d * d * inv));
            var row = plane.Slice(y * s + x0, x1 - x0 + 1);
            for (var x = 0; x < row.Length; x++) row[x] += gy * gx[x];
        }
    }

    private static float[] GaussianKernel(double sigma)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var k = new float[2 * radius + 1];
        var sum = 0.0;
        for (var i = -radius; i <= radius; i++) sum += Math.Exp(-i * i / (2 * sigma * sigma));
        for (var i = -radius; i <= radius; i++) k[i + radius] = (float)(Math.Exp(-i * i / (2 * sigma * sigma)) / sum);
        return k;
    }

    private void Blur(Span<float> plane, int s, float[] scratch)
    {
        var k = _blurKernel;
        var r = k.Length / 2;
        // Horizontal pass into scratch (through an edge-padded row), vertical pass back; borders clamp to the edge.
        Span<float> padded = stackalloc float[s + 2 * r];
        for (var y = 0; y < s; y++)
        {
            var row = plane.Slice(y * s, s);
            padded[..r].Fill(row[0]);
            row.CopyTo(padded[r..]);
            padded[(r + s)..].Fill(row[s - 1]);
            var dst = scratch.AsSpan(y * s, s);
            dst.Clear();
            for (var i = 0; i < k.Length; i++)
            {
                var w = k[i];
                var src = padded.Slice(i, s);
                for (var x = 0; x < s; x++) dst[x] += w * src[x];
            }
        }
        for (var y = 0; y < s; y++)
        {
            var row = plane.Slice(y * s, s);
            row.Clear();
            for (var i = -r; i <= r; i++)
            {
                var src = scratch.AsSpan(Math.Clamp(y + i, 0, s - 1) * s, s);
                var w = k[i + r];
                for (var x = 0; x < s; x++) row[x] += w * src[x];
            }
        }
    }

    private static void AddNoise(Span<float> plane, SeededGenerator rng)
    {
        // Four standard normals per 64-bit draw, looked up in a fixed table: far cheaper than Box-Muller per pixel.
        var table = NormalTable.Value;
        var bits = 0UL;
        for (var i = 0; i < plane.Length; i++)
        {
            if ((i & 3) == 0) bits = rng.NextUInt64();
            var z = table[(int)(bits & 0xFFFF)];
            bits >>= 16;
            var v = plane[i];
            var sd = MathF.Sqrt(Math.Max(v, 0f) * (float)ShotNoiseGain + (float)(ReadNoise * ReadNoise));
            plane[i] = Math.Clamp(v + sd * z, 0f, 1f);
        }
    }

    /// <summary>2^16 standard normal quantiles at (i + 0.5) / 2^16, so a uniform 16-bit index gives a normal draw.</summary>
    private static readonly Lazy<float[]> NormalTable = new(() =>
    {
        var table = new float[1 << 16];
        for (var i = 0; i < table.Length; i++) table[i] = (float)MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, (i + 0.5) / table.Length);
        return table;
    });
}
