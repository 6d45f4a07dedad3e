using Harness.Data;
using Harness.Data.Sources;
using Harness.Models;

namespace Harness.Tests;

/// <summary>
/// The README's tables of what a spec can name are held to the registries: a new entry without its row, or a row
/// naming nothing, fails here rather than misleading a reader.
/// </summary>
public sealed class ReadmeTablesTests
{
    /// <summary>Each table's header (its first cell) and the registry it lists, in the registry's order.</summary>
    private static readonly Dictionary<string, Func<IReadOnlyList<string>>> Registries = new()
    {
        ["`architecture`"] = () => ModelRegistry.Names,
        ["`data:` source"] = () => DataSources.Keys,
        ["`synthetic.preset`"] = () => SyntheticPreset.Names,
        ["`control.kind`"] = () => TrainingSetView.ControlNames,
    };

    public static TheoryData<string> Headers => new(Registries.Keys);

    [Theory]
    [MemberData(nameof(Headers))]
    public void Each_table_lists_exactly_the_entries_of_its_registry(string header)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith($"| {header} |", StringComparison.Ordinal));
        Assert.True(start >= 0, $"README.md has no table headed '| {header} |'");

        var rows = lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Split('|')[1].Trim().Trim('`')).ToArray();

        Assert.Equal(Registries[header](), rows);
    }
}
