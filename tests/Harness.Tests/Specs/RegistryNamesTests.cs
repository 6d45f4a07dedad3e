using Harness.Data;
using Harness.Data.Sources;
using Harness.Models;
using Harness.Specs;

namespace Harness.Tests.Specs;

/// <summary>
/// The names a spec may use come from the registries (architectures, data sources, synthetic presets, controls):
/// every entry is accepted, and an unknown name is answered with exactly the registry's list.
/// </summary>
public sealed class RegistryNamesTests
{
    private const string Minimal = """
        name: names
        epochs: 1
        architecture: deep
        conditions:
          a:
            data: {synthetic: {preset: snf7-like}}
        """;

    private static IReadOnlyList<SpecError> ErrorsOf(string yaml)
    {
        try
        {
            SpecLoader.Parse(yaml, "e.yaml");
            return [];
        }
        catch (SpecException e)
        {
            return e.Errors;
        }
    }

    [Fact]
    public void An_unknown_architecture_is_answered_with_every_registered_name()
    {
        var error = Assert.Single(ErrorsOf(Minimal.Replace("architecture: deep", "architecture: resnet")));

        Assert.Equal("architecture", error.KeyPath);
        Assert.Equal($"unknown architecture 'resnet'; known: {string.Join(", ", ModelRegistry.Names)}", error.Message);
        Assert.Equal(error.Message, Assert.Throws<ArgumentException>(() => ModelRegistry.Get("resnet")).Message);
    }

    [Fact]
    public void Every_data_source_key_is_read_by_its_own_source()
    {
        Assert.Equal(["synthetic", "folders", "idx", "cifar10", "montage"], DataSources.Keys);
        foreach (var key in DataSources.Keys)
        {
            // An empty block is recognized and checked by the source: every error stands inside it, none says "no source".
            var errors = ErrorsOf(Minimal.Replace("{synthetic: {preset: snf7-like}}", $"{{{key}: {{}}}}"));

            Assert.All(errors, e => Assert.StartsWith($"conditions.a.data.{key}", e.KeyPath));
        }
    }

    [Fact]
    public void A_data_block_without_a_source_names_every_registered_source()
    {
        var error = Assert.Single(ErrorsOf(Minimal.Replace("{synthetic: {preset: snf7-like}}", "{train_subset: 4}")));

        Assert.Equal("give exactly one data source: synthetic, folders, idx, cifar10 or montage", error.Message);
        Assert.All(DataSources.Keys, key => Assert.Contains(key, error.Message));
    }

    [Fact]
    public void Two_data_sources_in_one_block_are_refused()
    {
        var errors = ErrorsOf(Minimal.Replace("{synthetic: {preset: snf7-like}}", "{synthetic: {preset: snf7-like}, cifar10: {root: c, download: false}}"));

        Assert.Contains(errors, e => e.KeyPath == "conditions.a.data" && e.Message.StartsWith("give exactly one data source", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_data_source_spec_record_has_exactly_one_registered_source()
    {
        var records = typeof(IDataSourceSpec).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(IDataSourceSpec).IsAssignableFrom(t)).ToArray();

        Assert.Equal(records.Length, DataSources.All.Count);
        Assert.All(records, t => Assert.Single(DataSources.All, s => s.SpecType == t));
        Assert.Equal(DataSources.Keys.Count, DataSources.Keys.Distinct().Count());
    }

    [Fact]
    public void Every_registered_preset_is_accepted_and_an_unknown_one_is_answered_with_all_of_them()
    {
        foreach (var preset in SyntheticPreset.Names)
            Assert.Empty(ErrorsOf(Minimal.Replace("snf7-like", preset)));

        var error = Assert.Single(ErrorsOf(Minimal.Replace("snf7-like", "hela-like")));

        Assert.Equal("conditions.a.data.synthetic.preset", error.KeyPath);
        Assert.Equal($"unknown preset 'hela-like'; known: {string.Join(", ", SyntheticPreset.Names)}", error.Message);
    }

    [Fact]
    public void Every_registered_control_is_accepted_and_an_unknown_one_is_answered_with_all_of_them()
    {
        foreach (var control in TrainingSetView.Controls)
        {
            string fraction = control.TakesFraction ? ", fraction: 0.5" : "";
            Assert.Empty(ErrorsOf(Minimal + $"\n    control: {{kind: {control.Name}{fraction}}}"));
        }

        var error = Assert.Single(ErrorsOf(Minimal + "\n    control: {kind: shuffled_labels}"));

        Assert.Equal("conditions.a.control.kind", error.KeyPath);
        Assert.Equal($"'shuffled_labels' is not one of: {string.Join(", ", TrainingSetView.ControlNames)}", error.Message);
    }

    [Fact]
    public void Only_controls_that_take_a_fraction_accept_one()
    {
        var error = Assert.Single(ErrorsOf(Minimal + "\n    control: {kind: random_labels, fraction: 0.5}"));

        Assert.Equal("conditions.a.control.fraction", error.KeyPath);
        Assert.Equal("only corrupt_labels takes a fraction", error.Message);
    }
}
