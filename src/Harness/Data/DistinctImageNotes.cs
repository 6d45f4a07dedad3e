using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Data;

/// <summary>
/// How many distinct images a run's training draw and each of its test sets hold, recorded in its data notes
/// (<c>run.yaml</c>) as <c>distinct_images_SET: "D of N"</c>, where SET is <c>train</c> or the test set's metric prefix
/// (<c>test</c> for the primary one, <c>test_NAME</c> for the others). A folder that saves each tile under several
/// names (the published Snf7 folders: 20 unrotated copies) holds far fewer images than files, and the report needs the
/// number its accuracies really rest on, whatever the data's source.
/// </summary>
public static partial class DistinctImageNotes
{
    /// <summary>The note's key for a set (<c>train</c>, <c>test</c>, <c>test_NAME</c>).</summary>
    public static string Key(string set) => $"distinct_images_{set}";

    /// <summary>The note's value: <c>"32 of 640"</c>.</summary>
    public static string Value(int distinct, int images) => string.Create(CultureInfo.InvariantCulture, $"{distinct} of {images}");

    /// <summary>The (distinct, images) counts a run recorded for a set; null when it recorded none (runs before this note) or something else.</summary>
    public static (int Distinct, int Images)? Read(IReadOnlyDictionary<string, string> notes, string set)
    {
        if (!notes.TryGetValue(Key(set), out var value)) return null;
        var m = Pattern().Match(value);
        if (!m.Success) return null;
        int distinct = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), images = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return distinct >= 1 && distinct <= images ? (distinct, images) : null;
    }

    [GeneratedRegex(@"^([0-9]{1,9}) of ([0-9]{1,9})$")]
    private static partial Regex Pattern();
}
