using System.Text.Json.Nodes;
using Harness.Data;
using Harness.Specs;
using Harness.Tracking;
using Harness.Tracking.Mlflow;

namespace Harness.Tests.Specs;

/// <summary>
/// One pinned spec per data source kind: its data block in the canonical JSON that RunIds hash, its RunId, its YAML in
/// run.yaml, the MLflow dataset input naming it and, where no file is read, its data fingerprint. Each was recorded
/// before the data sources became a registry; a difference orphans stored results or cached data sets. The one change
/// then was deliberate: run.yaml no longer records <c>source_count: 1</c> (a count, never part of a RunId), and
/// run.yaml files that hold it still read back.
/// </summary>
public sealed class DataSpecCompatibilityTests
{
    private static readonly Dictionary<string, DataSpec> Kinds = new()
    {
        ["synthetic"] = new DataSpec(new SyntheticDataSpec("snf7-like", 4, 3, DataSeed: 2, Size: 32), TrainSubset: 5),
        ["synthetic_fields"] = new DataSpec(new SyntheticDataSpec("snap29-like", 32, 16, 3, 32, new SyntheticFieldsSpec(1, 1, 1, 2, 90, SyntheticFieldsSpec.IdenticalCopies))),
        ["folders_fraction"] = new DataSpec(new FolderDataSpec("data", [], 0.34), SkipUnreadable: true, Augment: new AugmentSpec(10, true, 2)),
        ["folders_tests"] = new DataSpec(new FolderDataSpec("data", [new NamedPath("o", "other")], null)),
        ["idx"] = new DataSpec(new IdxDataSpec("train-images", "train-labels", "test-images", "test-labels", TrainCount: 9)),
        ["cifar10"] = new DataSpec(new Cifar10DataSpec("cifar", TrainCount: 6, Download: false)),
        ["montage"] = new DataSpec(new MontageDataSpec("m", [new NamedPath("Pro", "E1/Pro"), new NamedPath("G1", "E1/G1")], 4, ["Ch3", "Ch4"], 0.25, true, 8)),
    };

    public static TheoryData<string> KindNames => new(Kinds.Keys);

    private static RunSpec Run(string kind) =>
        new("x", kind, Kinds[kind], null, "deep", new ImageSpec(16, 16, ColorMode.Rgb), 4, 20, new OptimizerSpec("adam", 0.001),
            InitScheme.Keras, "cpu", 1, 1, new Dictionary<string, string>(), "");

    [Theory]
    [InlineData("synthetic", """{"folders":null,"synthetic":{"data_seed":2,"preset":"snf7-like","size":32,"test_per_class":3,"train_per_class":4},"train_subset":5}""", "225f02b32d8d")]
    [InlineData("synthetic_fields", """{"folders":null,"synthetic":{"data_seed":3,"fields":{"copies":"identical","grid":2,"rotation_step":90,"test":1,"test_sets":1,"train":1},"preset":"snap29-like","size":32,"test_per_class":16,"train_per_class":32},"train_subset":null}""", "9c66d67a95ac")]
    [InlineData("folders_fraction", """{"augment":{"fill":"reflect","flip":true,"rotate_degrees":10,"shift_pixels":2},"folders":{"group_pattern":"^(.+?)(?:_t\\d+x\\d+)?(?:_-?\\d+)?\\.[^.]+$","test_fraction":0.34,"tests":[],"train":"data"},"skip_unreadable":true,"synthetic":null,"train_subset":null}""", "cea87f65b4af")]
    [InlineData("folders_tests", """{"folders":{"group_pattern":"^(.+?)(?:_t\\d+x\\d+)?(?:_-?\\d+)?\\.[^.]+$","test_fraction":null,"tests":[{"name":"o","path":"other"}],"train":"data"},"synthetic":null,"train_subset":null}""", "1cd7abb19135")]
    [InlineData("idx", """{"folders":null,"idx":{"dataset":null,"test_images":"test-images","test_labels":"test-labels","train_count":9,"train_images":"train-images","train_labels":"train-labels"},"synthetic":null,"train_subset":null}""", "dd2babe6c602")]
    [InlineData("cifar10", """{"cifar10":{"download":false,"root":"cifar","test_count":null,"train_count":6},"folders":null,"synthetic":null,"train_subset":null}""", "61fd6899fcb7")]
    [InlineData("montage", """{"folders":null,"montage":{"channels":["Ch3","Ch4"],"classes":[{"name":"Pro","path":"E1/Pro"},{"name":"G1","path":"E1/G1"}],"drop_duplicates":true,"max_per_class":8,"root":"m","test_fraction":0.25,"tile":4},"synthetic":null,"train_subset":null}""", "3a2d2f66fc77")]
    public void Each_data_source_keeps_its_canonical_json_and_run_id(string kind, string dataJson, string runId)
    {
        var canonical = RunIds.Canonical(Run(kind));

        Assert.Equal(dataJson, JsonNode.Parse(canonical)!["data"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal(runId, RunIds.Of(Run(kind)));
    }

    [Theory]
    [InlineData("synthetic", "synthetic:\n  preset: snf7-like\n  train_per_class: 4\n  test_per_class: 3\n  data_seed: 2\n  size: 32\ntrain_subset: 5\nskip_unreadable: false\n")]
    [InlineData("synthetic_fields", "synthetic:\n  preset: snap29-like\n  train_per_class: 32\n  test_per_class: 16\n  data_seed: 3\n  size: 32\n  fields:\n    train: 1\n    test: 1\n    test_sets: 1\n    grid: 2\n    rotation_step: 90\n    copies: identical\n    copies_are_identical: true\nskip_unreadable: false\n")]
    [InlineData("folders_fraction", "folders:\n  train: data\n  tests: []\n  test_fraction: 0.34\n  group_pattern: ^(.+?)(?:_t\\d+x\\d+)?(?:_-?\\d+)?\\.[^.]+$\nskip_unreadable: true\naugment:\n  rotate_degrees: 10\n  flip: true\n  shift_pixels: 2\n  fill: reflect\n  is_identity: false\n")]
    [InlineData("folders_tests", "folders:\n  train: data\n  tests:\n  - name: o\n    path: other\n  group_pattern: ^(.+?)(?:_t\\d+x\\d+)?(?:_-?\\d+)?\\.[^.]+$\nskip_unreadable: false\n")]
    [InlineData("idx", "skip_unreadable: false\nidx:\n  train_images: train-images\n  train_labels: train-labels\n  test_images: test-images\n  test_labels: test-labels\n  train_count: 9\n")]
    [InlineData("cifar10", "skip_unreadable: false\ncifar10:\n  root: cifar\n  train_count: 6\n  download: false\n")]
    [InlineData("montage", "skip_unreadable: false\nmontage:\n  root: m\n  classes:\n  - name: Pro\n    path: E1/Pro\n  - name: G1\n    path: E1/G1\n  tile: 4\n  channels:\n  - Ch3\n  - Ch4\n  test_fraction: 0.25\n  drop_duplicates: true\n  max_per_class: 8\n")]
    public void Each_data_source_keeps_its_run_yaml(string kind, string yaml)
    {
        Assert.Equal(yaml, RunRecordYaml.SerializeObject(Kinds[kind]).ReplaceLineEndings("\n"));
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Run_yaml_of_each_data_source_reads_back_to_the_same_run(string kind)
    {
        var yaml = RunRecordYaml.SerializeObject(Kinds[kind]);

        var read = RunRecordYaml.Deserialize<DataSpec>(yaml);

        Assert.Equal(RunIds.Canonical(Run(kind)), RunIds.Canonical(Run(kind) with { Data = read }));
    }

    [Theory]
    [InlineData("synthetic", "synthetic snf7-like", "code", "harness:synthetic/snf7-like?train_per_class=4&test_per_class=3&data_seed=2")]
    [InlineData("folders_fraction", "data", "local", "data")]
    [InlineData("idx", "train-images", "local", "train-images")]
    [InlineData("cifar10", "cifar-10", "local", "cifar")]
    [InlineData("montage", "m", "local", "m")]
    public void Each_data_source_names_its_mlflow_dataset_input(string kind, string name, string type, string uri)
    {
        var record = new RunRecord(Run(kind), "0123", false, new Dictionary<string, string>(), "cpu", "host", ["a", "b"], "fingerprint",
            new Dictionary<string, string>(), "2025-01-02T03:04:05Z");

        var dataset = MlflowRunMapping.Dataset(record)!;

        Assert.Equal((name, type, uri), (dataset.Name, dataset.SourceType, JsonNode.Parse(dataset.Source)!["uri"]!.GetValue<string>()));
    }

    [Fact]
    public void Data_fingerprints_that_read_no_file_are_unchanged()
    {
        var mono = new ImageSpec(28, 28, ColorMode.Mono);
        string Of(DataSpec data) => DatasetLoader.Fingerprint(data, mono, "/");

        Assert.Equal("b2b609d4979a6846a9f62651aac8cb7566552d0353042b44cb8f2b88f67df50d",
            Of(new DataSpec(new SyntheticDataSpec("snf7-like", 4, 3, DataSeed: 2, Size: 32))));
        Assert.Equal("79e6c5b94a59349d672bf5e0608f720af755f7dbe27e90dd18d870d97c9f4807",
            Of(new DataSpec(new SyntheticDataSpec("snap29-like", 640, 320, 7, 256, new SyntheticFieldsSpec()))));
        Assert.Equal("dc42b1b9109a32de86ee4884cd624e87c955de3be35c187fe2de0bd51f8f7e63",
            Of(new DataSpec(new SyntheticDataSpec("snap29-like", 640, 320, 7, 256, new SyntheticFieldsSpec(Copies: SyntheticFieldsSpec.IdenticalCopies)))));
        // Missing folders count as such, so these pin the order and content of the folder and montage fingerprints.
        Assert.Equal("d4dd74bd737536988e10bf7bafaa29cea0da5491cf211ab4db131997f5eef12c",
            Of(new DataSpec(new FolderDataSpec("/nonexistent/harness/train", [new NamedPath("t2", "/nonexistent/harness/t2")], null))));
        Assert.Equal("e5fdf825590dfcd5e01294893e07d73de57351a7418723fcf2295aa55a8e6c2f",
            Of(new DataSpec(new FolderDataSpec("/nonexistent/harness/train", [], 0.25), SkipUnreadable: true)));
        Assert.Equal("2cee7081a2b6472c59dfe911dea13411ea4f7d852be981911109103e2e57886a",
            Of(new DataSpec(new MontageDataSpec("/nonexistent/harness/ifc", [new NamedPath("G1", "E1/G1"), new NamedPath("Ana", "E1/Ana")], 40, ["Ch4"], 0.2, false, 100))));
    }

    [Fact]
    public void A_run_yaml_data_block_written_before_the_registry_reads_back()
    {
        const string yaml = "skip_unreadable: false\ncifar10:\n  root: cifar\n  train_count: 6\n  download: false\nsource_count: 1\n";

        var read = RunRecordYaml.Deserialize<DataSpec>(yaml);

        Assert.Equal(Kinds["cifar10"], read);
    }
}
