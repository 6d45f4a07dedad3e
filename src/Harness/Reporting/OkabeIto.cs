namespace Harness.Reporting;

/// <summary>
/// The Okabe–Ito colour-blind-safe palette. Groups whose name mentions Snf7 get blue and Snap29 vermillion,
/// as in the published figures; the others take the remaining colours in order.
/// </summary>
public static class OkabeIto
{
    /// <summary>Blue.</summary>
    public const string Blue = "#0072B2";
    /// <summary>Vermillion.</summary>
    public const string Vermillion = "#D55E00";
    /// <summary>Bluish green (used for correct predictions).</summary>
    public const string BluishGreen = "#009E73";

    private static readonly string[] Others = ["#E69F00", "#56B4E9", BluishGreen, "#CC79A7", "#F0E442", "#000000", Blue, Vermillion];

    /// <summary>A colour (hex) for each group key, in the order given.</summary>
    public static IReadOnlyDictionary<string, string> Assign(IEnumerable<string> keys)
    {
        var colors = new Dictionary<string, string>();
        var rest = new List<string>();
        foreach (var key in keys)
        {
            if (key.Contains("snf7", StringComparison.OrdinalIgnoreCase)) colors[key] = Blue;
            else if (key.Contains("snap29", StringComparison.OrdinalIgnoreCase)) colors[key] = Vermillion;
            else rest.Add(key);
        }
        var free = Others.Where(c => !colors.Values.Contains(c) || colors.Count == 0).ToList();
        if (free.Count == 0) free = [.. Others];
        for (int i = 0; i < rest.Count; i++) colors[rest[i]] = free[i % free.Count];
        return colors;
    }
}
