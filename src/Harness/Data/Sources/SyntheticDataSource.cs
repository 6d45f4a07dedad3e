using System.Globalization;
using Harness.Specs;
using static Harness.Data.Sources.SourcePreparation;

namespace Harness.Data.Sources;

/// <summary>
/// <c>synthetic:</c> fluorescence cells made in code from a <see cref="SyntheticPreset"/>: the published recipe
/// (fields, tiles, rotated copies; <see cref="SyntheticFields"/>) or independent images (<see cref="SyntheticCells"/>).
/// Deterministic from the data seed, so no file is read and the fingerprint is the recipe with the generator's version.
/// </summary>
internal sealed class SyntheticDataSource : DataSource<SyntheticDataSpec>
{
    public override string Key => "synthetic";

    public override bool AlwaysInRunJson => true;

    public override SyntheticDataSpec Read(SpecFields s, string at, string sourcePath)
    {
        string preset = s.String("preset", "", required: true) ?? "";
        if (preset.Length > 0 && !SyntheticPreset.Names.Contains(preset))
            s.Error(s.Node("preset"), $"{at}.preset", $"unknown preset '{preset}'; known: {string.Join(", ", SyntheticPreset.Names)}");
        bool independent = s.Node("train_per_class") is not null || s.Node("test_per_class") is not null;
        SyntheticFieldsSpec? fields = null;
        if (s.Node("fields") is { } fieldsNode)
        {
            if (independent)
                s.Error(fieldsNode, $"{at}.fields",
                    "give either fields (the published recipe: fields, tiles, rotated copies) or train_per_class / test_per_class (independent images), not both");
            if (SpecFields.Of(fieldsNode, $"{at}.fields", s.Errors, fieldsNode.File) is { } ff) fields = ReadFields(ff, $"{at}.fields");
        }
        else if (!independent) fields = new SyntheticFieldsSpec();
        var spec = fields is null
            ? new SyntheticDataSpec(preset, s.Int("train_per_class", 200, min: 1, max: SpecLimits.ImagesPerClass), s.Int("test_per_class", 100, min: 1, max: SpecLimits.ImagesPerClass),
                s.Int("data_seed", 0, min: 0), s.Int("size", 256, min: 16, max: SpecLimits.ImageSide))
            : new SyntheticDataSpec(preset, fields.ImagesPerClass(fields.Train), fields.ImagesPerClass(fields.Test),
                s.Int("data_seed", 0, min: 0), s.Int("size", 256, min: 16, max: SpecLimits.ImageSide), fields);
        s.Finish();
        return spec;
    }

    private static SyntheticFieldsSpec ReadFields(SpecFields ff, string at)
    {
        int step = ff.Int("rotation_step", 18, min: 0);
        if (step > 0 && 360 % step != 0)
            ff.Error(ff.Node("rotation_step"), $"{at}.rotation_step", $"{step} does not divide 360 (18 gives the published 20 copies; 0 = no rotated copies)");
        string copies = ff.String("copies", SyntheticFieldsSpec.RotatedCopies) ?? SyntheticFieldsSpec.RotatedCopies;
        if (!SyntheticFieldsSpec.CopyKinds.Contains(copies))
            ff.Error(ff.Node("copies"), $"{at}.copies",
                $"'{copies}' is not a kind of copy; use rotated (each copy rotated by its angle) or identical (the unrotated tile under every angle's name, as the published snippet saved it)");
        var fields = new SyntheticFieldsSpec(ff.Int("train", 2, min: 1, max: 64), ff.Int("test", 1, min: 1, max: 64), ff.Int("test_sets", 2, min: 1, max: 16),
            ff.Int("grid", 4, min: 1, max: 16), step, copies);
        ff.Finish();
        return fields;
    }

    public override void AddTo(Fingerprint fingerprint, SyntheticDataSpec spec, string specDirectory)
    {
        fingerprint.Add("synthetic", SyntheticCells.GeneratorVersion, spec.Preset, Invariant(spec.TrainPerClass), Invariant(spec.TestPerClass), Invariant(spec.DataSeed), Invariant(spec.Size));
        if (spec.Fields is not { } f) return;
        fingerprint.Add("fields", SyntheticFields.GeneratorVersion, Invariant(f.Train), Invariant(f.Test), Invariant(f.TestSets), Invariant(f.Grid), Invariant(f.RotationStep));
        if (f.CopiesAreIdentical) fingerprint.Add("fields.copies", f.Copies); // rotated copies keep the fingerprints (and RunIds) they had
    }

    public override Func<PreparedDataset> Open(SyntheticDataSpec spec, ImageSpec image, string specDirectory, bool skipUnreadable) =>
        () => spec.Fields is null ? Independent(spec, image) : Published(spec, image);

    public override (string Name, string Type, string Uri) Origin(SyntheticDataSpec spec) =>
        ($"synthetic {spec.Preset}", "code", $"harness:synthetic/{spec.Preset}?train_per_class={spec.TrainPerClass}&test_per_class={spec.TestPerClass}&data_seed={spec.DataSeed}");

    private static PreparedDataset Published(SyntheticDataSpec spec, ImageSpec image)
    {
        var (splits, fieldNotes) = SyntheticFields.Generate(spec, image);
        var preset = SyntheticPreset.Get(spec.Preset);
        return new PreparedDataset(preset.ClassNames, splits[0].Images, splits.Skip(1).Select(t => new NamedImages(t.Name, t.Images)).ToArray(),
            "", fieldNotes, preset.BayesOptimalAccuracy());
    }

    private static PreparedDataset Independent(SyntheticDataSpec spec, ImageSpec image)
    {
        if (spec.TrainPerClass < 0 || spec.TestPerClass < 0) throw new ArgumentException("Synthetic image counts must not be negative.");
        var cells = new SyntheticCells(spec.Preset, spec.Size);
        var train = cells.Generate("train", spec.TrainPerClass, spec.DataSeed, image);
        var test = cells.Generate("test", spec.TestPerClass, spec.DataSeed, image);
        var bayes = cells.Preset.BayesOptimalAccuracy();
        var notes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = "synthetic",
            ["preset"] = spec.Preset,
            ["classes"] = string.Join(",", cells.Preset.ClassNames),
            ["data_seed"] = Invariant(spec.DataSeed),
            ["synthetic_size"] = Invariant(spec.Size),
            ["train_count"] = Invariant(train.Count),
            ["test_count"] = Invariant(test.Count),
            ["train_per_class"] = Invariant(spec.TrainPerClass),
            ["test_per_class"] = Invariant(spec.TestPerClass),
            ["bayes_optimal_accuracy"] = bayes.ToString("0.0000", CultureInfo.InvariantCulture),
            ["generator"] = SyntheticCells.GeneratorVersion,
        };
        return new PreparedDataset(cells.Preset.ClassNames, train, [new NamedImages("test", test)], "", notes, bayes);
    }
}
