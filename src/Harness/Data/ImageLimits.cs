using System.Globalization;

namespace Harness.Data;

/// <summary>
/// Bounds on what one image file may make the harness allocate. A PNG of 32768 x 32768 pixels is a 1 MB file that
/// asks for 4 GB of pixels; the size is therefore read from the file's header and checked against
/// <see cref="MaxPixels"/> before any pixel buffer exists, and every buffer length derived from a file goes through
/// <see cref="BufferLength"/>, which cannot overflow.
/// </summary>
public static class ImageLimits
{
    /// <summary>The default largest image, in pixels (width x height): 2^28, e.g. 16384 x 16384.</summary>
    public const long DefaultMaxPixels = 1L << 28;

    /// <summary>Environment variable that replaces <see cref="DefaultMaxPixels"/> (a positive whole number of pixels).</summary>
    public const string MaxPixelsVariable = "HARNESS_MAX_IMAGE_PIXELS";

    /// <summary>
    /// The largest image accepted, in pixels: <c>$HARNESS_MAX_IMAGE_PIXELS</c> when set, else <see cref="DefaultMaxPixels"/>.
    /// A machine setting rather than a spec key, because it guards the machine's memory and never changes a result.
    /// </summary>
    public static long MaxPixels => ParseMaxPixels(Environment.GetEnvironmentVariable(MaxPixelsVariable));

    /// <summary>The limit a value of <c>$HARNESS_MAX_IMAGE_PIXELS</c> gives (unset or blank: the default); anything but a positive whole number is a <see cref="DataException"/>.</summary>
    internal static long ParseMaxPixels(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return DefaultMaxPixels;
        if (long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0) return value;
        throw new DataException($"{MaxPixelsVariable}='{text}' is not a positive whole number of pixels (default {DefaultMaxPixels.ToString(CultureInfo.InvariantCulture)}).");
    }

    /// <summary>Throws <see cref="InvalidDataException"/> when a <paramref name="width"/> x <paramref name="height"/> image is empty or larger than <see cref="MaxPixels"/>.</summary>
    public static void CheckSize(long width, long height) => CheckSize(width, height, MaxPixels);

    /// <summary>As <see cref="CheckSize(long, long)"/> with an explicit <paramref name="limit"/>.</summary>
    internal static void CheckSize(long width, long height, long limit)
    {
        if (width <= 0 || height <= 0) throw new InvalidDataException($"image has no pixels ({Invariant(width)} x {Invariant(height)})");
        // Sides of up to 2^32 - 1 (TIFF) make a product beyond a long; Int128 holds any two longs.
        var pixels = (Int128)width * height;
        if (pixels > limit)
        {
            throw new InvalidDataException(
                $"image is {Invariant(width)} x {Invariant(height)} pixels ({pixels.ToString(CultureInfo.InvariantCulture)}), more than the limit of {Invariant(limit)} pixels; " +
                $"cut it into tiles first (harness data tile) or raise the limit with {MaxPixelsVariable}");
        }
    }

    /// <summary>
    /// The product of <paramref name="factors"/> as an array length, computed without overflow; throws
    /// <see cref="InvalidDataException"/> naming <paramref name="what"/> when it is negative or larger than one array holds.
    /// </summary>
    public static int BufferLength(string what, params long[] factors)
    {
        long product = 1;
        try
        {
            foreach (var f in factors)
            {
                if (f < 0) throw new InvalidDataException($"{what}: negative size {Invariant(f)}");
                product = checked(product * f);
            }
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{what}: {string.Join(" x ", factors.Select(Invariant))} values do not fit in memory");
        }
        if (product > Array.MaxLength)
            throw new InvalidDataException($"{what}: {string.Join(" x ", factors.Select(Invariant))} = {Invariant(product)} values, more than one array holds ({Invariant(Array.MaxLength)})");
        return (int)product;
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
