using System.Text.RegularExpressions;

namespace Harness.Data;

/// <summary>
/// Splits items into training and test sets stratified by class and grouped by source: every file of one
/// source (tiles and rotated copies of one image) falls on one side, so near-duplicates cannot leak across.
/// The split is a pure function of the inputs and a split seed (0 unless stated), never of the training seed.
/// </summary>
/// <remarks>
/// Groups are taken per class (<c>class/source</c>): a source name that occurs in two class folders names two
/// different images. Within each class the groups are sorted ordinally, shuffled with a generator seeded by
/// (split seed, class), and assigned in that order to the test side while that brings the class's test count
/// closer to round(fraction x class count); the rest train. The test fraction per class is therefore as close
/// to the target as whole groups allow.
/// </remarks>
public static class SourceGroupSplit
{
    /// <summary>The source of a file name under a group pattern: the first capture group, or the whole name when it does not match.</summary>
    public static string SourceOf(string fileName, Regex groupPattern)
    {
        var match = groupPattern.Match(fileName);
        return match.Success && match.Groups.Count > 1 && match.Groups[1].Success && match.Groups[1].Length > 0
            ? match.Groups[1].Value
            : fileName;
    }

    /// <summary>Splits files by name: the group of a file is its class plus the source its name gives under <paramref name="groupPattern"/>.</summary>
    public static SourceGroupSplitResult Split(IReadOnlyList<string> fileNames, IReadOnlyList<int> labels, string groupPattern, double testFraction, int seed = 0)
    {
        var regex = new Regex(groupPattern, RegexOptions.CultureInvariant);
        var groups = fileNames.Select(n => SourceOf(Path.GetFileName(n), regex)).ToArray();
        return Split(labels, groups, testFraction, seed);
    }

    /// <summary>Splits items given their labels and source groups (a group is taken per class).</summary>
    public static SourceGroupSplitResult Split(IReadOnlyList<int> labels, IReadOnlyList<string> groups, double testFraction, int seed = 0)
    {
        if (labels.Count != groups.Count) throw new ArgumentException("One group per label is needed.", nameof(groups));
        if (testFraction is < 0 or > 1 || double.IsNaN(testFraction))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie in [0, 1].");
        var train = new List<int>();
        var test = new List<int>();
        int trainGroups = 0, testGroups = 0;
        foreach (var label in labels.Distinct().Order())
        {
            var byGroup = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < labels.Count; i++)
            {
                if (labels[i] != label) continue;
                if (!byGroup.TryGetValue(groups[i], out var members)) byGroup[groups[i]] = members = [];
                members.Add(i);
            }
            var order = byGroup.Values.ToArray();
            new SeededGenerator(SeededGenerator.Mix((ulong)(uint)seed, (ulong)(uint)label, SeededGenerator.StableHash("source_group_split"))).Shuffle(order.AsSpan());
            var total = order.Sum(g => g.Count);
            var target = (int)Math.Round(testFraction * total, MidpointRounding.AwayFromZero);
            var taken = 0;
            foreach (var members in order)
            {
                if (Math.Abs(taken + members.Count - target) < Math.Abs(taken - target))
                {
                    taken += members.Count;
                    test.AddRange(members);
                    testGroups++;
                }
                else
                {
                    train.AddRange(members);
                    trainGroups++;
                }
            }
        }
        train.Sort();
        test.Sort();
        return new SourceGroupSplitResult(train, test, trainGroups, testGroups);
    }
}
