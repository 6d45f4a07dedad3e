using Harness.Specs;

namespace Harness.Data;

/// <summary>The shared last steps of every image: resize to the image spec, then pick the colour mode's channels.</summary>
internal static class ImagePreprocessing
{
    public static void Prepare(ReadOnlySpan<float> rgb, int height, int width, ImageSpec spec, Span<float> destination)
    {
        var resized = ImageResampler.Resize(rgb, 3, height, width, spec.Height, spec.Width, spec.ResizeFilter);
        ColorModeConverter.Convert(resized, spec.Height, spec.Width, spec.ColorMode, destination);
    }

    /// <summary>Checks the spec's names before any image is touched, so that a typo fails at once.</summary>
    public static void Validate(ImageSpec spec)
    {
        if (spec.Height <= 0 || spec.Width <= 0) throw new ArgumentException($"Image size must be positive, got {spec.Height}x{spec.Width}.");
        if (!ImageResampler.Filters.Contains(spec.ResizeFilter))
            throw new ArgumentException($"Unknown resize filter '{spec.ResizeFilter}'; use one of {string.Join(", ", ImageResampler.Filters)}.");
        if (!ImageDecoder.RescaleModes.Contains(spec.Rescale))
            throw new ArgumentException($"Unknown rescale '{spec.Rescale}'; use one of {string.Join(", ", ImageDecoder.RescaleModes)}.");
        ColorModeConverter.Convert(new float[3], 1, 1, spec.ColorMode);
    }
}
