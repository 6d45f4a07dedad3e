using Harness.Specs;

namespace Harness.Tests.Specs;

public sealed class SpecLoaderTests
{
    private const string Minimal = """
        name: tiny
        epochs: 2
        architecture: deep
        conditions:
          a:
            data:
              synthetic: {preset: snap29-like}
        """;

    private static SpecException Fails(string yaml, params string[] overrides) =>
        Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "exp.yaml", overrides));

    [Fact]
    public void Minimal_spec_gets_the_documented_defaults()
    {
        var spec = SpecLoader.Parse(Minimal, "exp.yaml");
        Assert.Equal([1], spec.Seeds.Values);
        Assert.Equal(20, spec.BatchSize);
        Assert.Equal("auto", spec.Device);
        Assert.Equal(2, spec.Threads);
        Assert.Equal(InitScheme.Keras, spec.Init);
        Assert.Equal(new OptimizerSpec("adam", 0.001), spec.Optimizer);
        Assert.Equal(256, spec.Image.Height);
        Assert.Equal("rgb", spec.Image.ColorMode.ToString());
        Assert.Equal(Harness.Data.InputNormalization.Default, spec.Image.Normalization);
        Assert.Equal(new SyntheticDataSpec("snap29-like", 640, 320, Fields: new SyntheticFieldsSpec()), Assert.IsType<SyntheticDataSpec>(spec.Conditions.Single().Data.Source));
    }

    [Fact]
    public void Image_normalize_takes_the_three_modes_and_names_a_wrong_one_with_its_position()
    {
        Assert.Equal("standardize", SpecLoader.Parse(Minimal + "\nimage: {normalize: standardize}\n", "exp.yaml").Image.Normalization);
        var none = SpecLoader.Parse(Minimal + "\nimage: {normalize: none}\n", "exp.yaml");
        Assert.Null(none.Image.Normalize); // left out of the RunId: runs planned before the option keep theirs
        var error = Assert.Single(Fails(Minimal + "\nimage: {normalize: zscore}\n").Errors);
        Assert.Equal(("image.normalize", 8), (error.KeyPath, error.Line));
        Assert.Contains("none, stretch, standardize", error.Message);
    }

    [Fact]
    public void Unknown_key_is_reported_with_line_and_column_and_a_suggestion()
    {
        var e = Fails(Minimal + "\nepochz: 3\n");
        var error = Assert.Single(e.Errors);
        Assert.Equal(("exp.yaml", 8, 1, "epochz"), (error.File, error.Line, error.Column, error.KeyPath));
        Assert.Contains("did you mean 'epochs'", error.Message);
        Assert.StartsWith("exp.yaml:8:1: epochz: unknown key", error.ToString());
    }

    [Fact]
    public void Unknown_nested_key_names_its_full_path()
    {
        var e = Fails(Minimal.Replace("{preset: snap29-like}", "{preset: snap29-like, trian_per_class: 3}"));
        var error = Assert.Single(e.Errors);
        Assert.Equal("conditions.a.data.synthetic.trian_per_class", error.KeyPath);
        Assert.Equal((7, 40), (error.Line, error.Column));
    }

    [Fact]
    public void Duplicate_key_is_reported_at_its_second_occurrence()
    {
        var e = Fails("epochs: 3\n" + Minimal);
        var error = Assert.Single(e.Errors);
        Assert.Equal(("epochs", 3, 1), (error.KeyPath, error.Line, error.Column));
        Assert.Contains("duplicate key", error.Message);
    }

    [Fact]
    public void Missing_required_keys_are_all_reported()
    {
        var e = Fails("name: x\n");
        Assert.Equal(["architecture", "conditions", "epochs"], e.Errors.Select(x => x.KeyPath).Order().ToArray());
        Assert.All(e.Errors, x => Assert.Contains("missing required key", x.Message));
    }

    [Fact]
    public void Wrong_types_and_bad_values_are_all_reported_at_once()
    {
        string yaml = Minimal.Replace("epochs: 2", "epochs: 0\nbatch_size: many\noptimizer: {lr: -1, betas: [0.9]}\ndevice: tpu");
        var e = Fails(yaml);
        var byPath = e.Errors.ToDictionary(x => x.KeyPath);
        Assert.Contains("at least 1", byPath["epochs"].Message);
        Assert.Contains("whole number", byPath["batch_size"].Message);
        Assert.Equal((3, 13), (byPath["batch_size"].Line, byPath["batch_size"].Column));
        Assert.Contains("(0, ∞]", byPath["optimizer.lr"].Message);
        Assert.Contains("two numbers", byPath["optimizer.betas"].Message);
        Assert.Contains("tpu", byPath["device"].Message);
        Assert.Equal(5, e.Errors.Count);
    }

    [Fact]
    public void Unknown_architecture_and_preset_list_the_known_ones()
    {
        var e = Fails(Minimal.Replace("architecture: deep", "architecture: resnet").Replace("snap29-like", "snap30-like"));
        Assert.Contains(e.Errors, x => x.KeyPath == "architecture" && x.Message.Contains("deep-50"));
        Assert.Contains(e.Errors, x => x.KeyPath == "conditions.a.data.synthetic.preset" && x.Message.Contains("snf7-like"));
    }

    [Fact]
    public void Syntax_error_is_located()
    {
        var e = Fails("name: x\nepochs: [1, 2\n");
        Assert.Contains("YAML syntax", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Missing_data_folder_is_reported_resolved_against_the_spec_folder()
    {
        string yaml = Minimal.Replace("synthetic: {preset: snap29-like}", "folders: {train: no/such/folder, test_fraction: 0.2}");
        var e = Fails(yaml);
        var error = Assert.Single(e.Errors);
        Assert.Equal("conditions.a.data.folders.train", error.KeyPath);
        Assert.Contains(Path.GetFullPath("no/such/folder"), error.Message);
    }

    [Fact]
    public void Data_needs_exactly_one_source()
    {
        var e = Fails(Minimal.Replace("synthetic: {preset: snap29-like}", "train_subset: 4"));
        Assert.Contains("exactly one data source", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Seeds_can_be_a_count_or_a_list()
    {
        Assert.Equal([1, 2, 3], SpecLoader.Parse(Minimal + "\nseeds: 3", "e.yaml").Seeds.Values);
        Assert.Equal([4, 9], SpecLoader.Parse(Minimal + "\nseeds: [4, 9]", "e.yaml").Seeds.Values);
        Assert.Contains("listed twice", Fails(Minimal + "\nseeds: [4, 4]").Errors.Single().Message);
    }

    [Fact]
    public void Overrides_go_through_the_same_checks()
    {
        var spec = SpecLoader.Parse(Minimal, "e.yaml", ["epochs=5", "seeds=[1,2]", "optimizer.lr=0.01", "image.color_mode=mono", "conditions.a.data.train_subset=10"]);
        Assert.Equal(5, spec.Epochs);
        Assert.Equal([1, 2], spec.Seeds.Values);
        Assert.Equal(0.01, spec.Optimizer.LearningRate);
        Assert.Equal(1, spec.Image.ColorMode.ChannelCount);
        Assert.Equal(10, spec.Conditions[0].Data.TrainSubset);

        var e = Fails(Minimal, "epochs=2", "optimiser.lr=0.1", "epochs=zero");
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains(e.Errors, x => x.File == "--set" && x.Line == 2 && x.KeyPath == "optimiser");
        Assert.Contains(e.Errors, x => x.File == "--set" && x.Line == 3 && x.KeyPath == "epochs");
    }

    [Fact]
    public void Colour_modes_by_name_list_and_channel()
    {
        Assert.Equal("red+green", SpecLoader.Parse(Minimal + "\nimage: {color_mode: [red, green]}", "e.yaml").Image.ColorMode.ToString());
        Assert.Equal(1, SpecLoader.Parse(Minimal + "\nimage: {color_mode: green}", "e.yaml").Image.ColorMode.ChannelCount);
        Assert.Contains("purple", Fails(Minimal + "\nimage: {color_mode: purple}").Errors.Single().Message);
    }

    [Fact]
    public void Grid_values_are_validated_like_overrides()
    {
        var e = Fails(Minimal + "\ngrid: {architecture: [deep, vgg16]}");
        var error = Assert.Single(e.Errors);
        Assert.Equal("grid.architecture", error.KeyPath);
        Assert.Contains("vgg16", error.Message);
        Assert.Contains("cannot be varied", Fails(Minimal + "\ngrid: {name: [a, b]}").Errors.Single().Message);
    }

    [Fact]
    public void Published_values_must_name_a_condition_and_be_fractions()
    {
        var e = Fails(Minimal + "\npublished: {values: [{condition: b, measure: final_test_accuracy, value: 62}]}");
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains(e.Errors, x => x.KeyPath == "published.values[0].condition");
        Assert.Contains(e.Errors, x => x.KeyPath == "published.values[0].value");
    }

    [Fact]
    public void Anchors_are_refused()
    {
        var e = Fails(Minimal + "\noptimizer: &o {name: adam}\n");
        Assert.Contains("anchors", e.Errors.Single().Message);
    }
}
