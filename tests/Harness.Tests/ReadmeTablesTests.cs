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
    /// <summary>The first column's names (the text between backticks) of the README table whose header starts with <paramref name="header"/>.</summary>
    private static IReadOnlyList<string> FirstColumn(string header)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith($"| {header} |", StringComparison.Ordinal));
        Assert.True(start >= 0, $"README.md has no table headed '| {header} |'");
        return lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|')[1].Trim().Trim('`'))
            .ToArray();
    }

    [Fact]
    public void The_architecture_table_lists_exactly_the_registered_architectures()
    {
        Assert.Equal(ModelRegistry.Names, FirstColumn("`architecture`"));
    }

    [Fact]
    public void The_data_source_table_lists_exactly_the_registered_sources()
    {
        Assert.Equal(DataSources.Keys, FirstColumn("`data:` source"));
    }

    [Fact]
    public void The_preset_table_lists_exactly_the_registered_presets()
    {
        Assert.Equal(SyntheticPreset.Names, FirstColumn("`synthetic.preset`"));
    }

    [Fact]
    public void The_control_table_lists_exactly_the_registered_controls()
    {
        Assert.Equal(TrainingSetView.ControlNames, FirstColumn("`control.kind`"));
    }
}
