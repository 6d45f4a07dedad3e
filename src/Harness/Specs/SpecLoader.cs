using System.Globalization;
using Harness.Data;
using Harness.Data.Sources;
using Harness.Models;

namespace Harness.Specs;

/// <summary>
/// Loads an experiment spec strictly: YAML → positioned node tree → <c>--set</c> overrides → typed records, with
/// defaults filled in and every structural and semantic error collected (file, line, column, key path) before
/// anything runs. Throws <see cref="SpecException"/> listing them all. The names a spec may use (architectures, data
/// sources, synthetic presets, controls) are read from their registries: <see cref="ModelRegistry"/>,
/// <see cref="DataSources"/>, <see cref="SyntheticPreset.All"/>, <see cref="TrainingSetView.Controls"/>.
/// </summary>
public static class SpecLoader
{
    /// <summary>
    /// Key paths a grid may vary: run-level keys, the keys inside <c>image</c> and <c>optimizer</c>, and
    /// <c>data.train_subset</c> (set in every condition's data, for learning curves over the training-set size).
    /// </summary>
    public static readonly IReadOnlyList<string> GridKeys =
    [
        "architecture", "init", "epochs", "batch_size", "threads", "device",
        "image.size", "image.color_mode", "image.mono_reduction", "image.rescale", "image.resize_filter", "image.normalize",
        "optimizer.name", "optimizer.lr", "optimizer.l2", "optimizer.momentum", "optimizer.decay", "optimizer.epsilon", "optimizer.betas",
        "data.train_subset",
    ];

    /// <summary>Grid keys whose values are lists, stored as one string joined with this separator (e.g. <c>[28, 28]</c> as <c>28x28</c>).</summary>
    internal static readonly IReadOnlyDictionary<string, string> ListGridKeys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["image.size"] = "x",
        ["image.color_mode"] = "+",
        ["optimizer.betas"] = "/",
    };

    /// <summary>Reads and checks <paramref name="path"/> with <paramref name="overrides"/> (<c>key.path=value</c>).</summary>
    public static ExperimentSpec Load(string path, IReadOnlyList<string>? overrides = null)
    {
        if (!File.Exists(path)) throw new SpecException([new SpecError(path, 1, 1, "", "file not found")]);
        return Parse(File.ReadAllText(path), path, overrides);
    }

    /// <summary>Parses spec text as if it were the file <paramref name="sourcePath"/> (relative data folders resolve against its folder).</summary>
    public static ExperimentSpec Parse(string text, string sourcePath, IReadOnlyList<string>? overrides = null)
    {
        var errors = new List<SpecError>();
        var root = SpecYaml.Parse(text, sourcePath, errors);
        if (root is null) throw new SpecException(errors);
        var assignments = overrides ?? [];
        for (int i = 0; i < assignments.Count; i++) root = SpecYaml.ApplyOverride(root, assignments[i], i, errors);
        var spec = root is null ? null : Convert(root, sourcePath, errors, checkGrid: true);
        if (errors.Count > 0 || spec is null)
            throw new SpecException(errors.Distinct().OrderBy(e => e.File == "--set").ThenBy(e => e.Line).ThenBy(e => e.Column).ToArray());
        return spec;
    }

    /// <summary>
    /// Only the name and the <c>tracking:</c> block of spec text (with <paramref name="overrides"/>), without checking the
    /// rest: a results folder's copy of its spec names data folders that need not exist where the results are read.
    /// </summary>
    /// <exception cref="SpecException">The YAML, the name or the tracking block is invalid.</exception>
    public static (string Name, TrackingSpec Tracking) ParseTracking(string text, string sourcePath, IReadOnlyList<string>? overrides = null)
    {
        var errors = new List<SpecError>();
        var root = SpecYaml.Parse(text, sourcePath, errors);
        var assignments = overrides ?? [];
        for (int i = 0; i < assignments.Count && root is not null; i++) root = SpecYaml.ApplyOverride(root, assignments[i], i, errors);
        var f = root is null ? null : SpecFields.Of(root, "", errors, sourcePath);
        string name = f?.String("name", "", required: true) ?? "";
        var tracking = f is null ? new TrackingSpec(null) : ReadTracking(f);
        if (errors.Count > 0) throw new SpecException(errors.Distinct().OrderBy(e => e.Line).ThenBy(e => e.Column).ToArray());
        return (name, tracking);
    }

    private static ExperimentSpec? Convert(SpecNode root, string sourcePath, List<SpecError> errors, bool checkGrid)
    {
        var f = SpecFields.Of(root, "", errors, sourcePath);
        if (f is null) return null;
        string name = f.String("name", "", required: true) ?? "";
        if (name.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z0-9][A-Za-z0-9_.-]*$"))
            f.Error(f.Node("name"), "name", "use letters, digits, '_', '-' and '.' only (it names a folder)");
        string description = f.String("description", "") ?? "";
        var seeds = ReadSeeds(f);

        int epochs = f.Int("epochs", 1, min: 1, required: true, max: SpecLimits.Epochs);
        int batchSize = f.Int("batch_size", 20, min: 1, max: SpecLimits.BatchSize);
        string device = f.String("device", "auto") ?? "auto";
        if (!(device is "auto" or "cpu" or "cuda" || System.Text.RegularExpressions.Regex.IsMatch(device, @"^cuda:\d+$")))
            f.Error(f.Node("device"), "device", $"'{device}' is not one of: auto, cpu, cuda, cuda:N");
        int threads = f.Int("threads", 2, min: 1, max: SpecLimits.Threads);
        var init = ReadInit(f) ?? InitScheme.Keras;
        int seedParallel = f.Int("seed_parallel", 1, min: 1, max: SpecLimits.SeedParallel);
        string architecture = ReadArchitecture(f, required: true) ?? "";
        var optimizerNode = f.Node("optimizer");
        var optimizer = ReadOptimizer(optimizerNode, "optimizer", errors);
        var imageNode = f.Node("image");
        var image = ReadImage(imageNode, "image", errors);
        var conditions = ReadConditions(f, sourcePath, optimizerNode, imageNode);
        var grid = ReadGrid(f);
        if (checkGrid) CheckGridAgainstConditions(root, grid, conditions, errors);
        var tracking = ReadTracking(f);
        var published = ReadPublished(f, conditions);
        f.Finish();
        // The plan's size from counts alone, so a huge sweep is refused before any run is built.
        long planned = (long)Math.Max(1, conditions.Count) * seeds.Values.Count;
        foreach (var axis in grid) planned *= axis.Values.Count;
        if (planned > SpecLimits.Runs)
            f.Error(f.Node("seeds") ?? f.Node("grid"), "seeds", $"the spec plans {planned:N0} runs (conditions x grid points x seeds); at most {SpecLimits.Runs:N0} (see \"Limits\" in the README)");
        CheckImageFitsArchitecture(f, architecture, image);
        foreach (var c in conditions.Where(c => c.Overrides is { Architecture: not null } or { Image: not null }))
        {
            string network = c.Overrides!.Architecture ?? architecture;
            var size = c.Overrides.Image ?? image;
            if (ModelRegistry.Names.Contains(network) && ModelRegistry.InputTooSmall(network, size.Height, size.Width) is { } why
                && Find(root, ["conditions", c.Name]) is { } at)
                errors.Add(new SpecError(at.File, at.Line, at.Column, $"conditions.{c.Name}", $"architecture '{network}' with image.size {size.Height}x{size.Width}: {why}"));
        }
        if (checkGrid) CheckGridArchitecturesAndSizes(f, grid);

        if (checkGrid && grid.Count > 0 && errors.Count == 0)
            CheckGridValues(root, sourcePath, grid, errors);

        return new ExperimentSpec(name, description, seeds, epochs, batchSize, device, threads, init, optimizer, architecture,
            image, conditions, grid, tracking, published, seedParallel, sourcePath);
    }

    private static SeedSpec ReadSeeds(SpecFields f)
    {
        var node = f.Node("seeds");
        if (node is null) return SeedSpec.Count(1);
        if (node is SpecSequence list)
        {
            var values = new List<int>();
            for (int i = 0; i < list.Items.Count; i++)
                if (f.AsInt(list.Items[i], $"seeds[{i}]", min: 0) is { } v)
                {
                    if (values.Contains(v)) f.Error(list.Items[i], $"seeds[{i}]", $"seed {v} is listed twice");
                    else values.Add(v);
                }
            if (list.Items.Count == 0) f.Error(node, "seeds", "the seed list is empty");
            if (list.Items.Count > SpecLimits.Seeds)
                f.Error(node, "seeds", $"{list.Items.Count} seeds listed; at most {SpecLimits.Seeds:N0} (see \"Limits\" in the README)");
            return new SeedSpec(values);
        }
        return SeedSpec.Count(f.AsInt(node, "seeds", min: 1, max: SpecLimits.Seeds) ?? 1);
    }

    private static InitScheme? ReadInit(SpecFields f) =>
        f.Node("init") is null ? null : f.Choice("init", "keras", ["keras", "torch"]) == "torch" ? InitScheme.Torch : InitScheme.Keras;

    private static string? ReadArchitecture(SpecFields f, bool required)
    {
        string? architecture = f.String("architecture", null, required);
        if (architecture is { Length: > 0 } && !ModelRegistry.Names.Contains(architecture))
            f.Error(f.Node("architecture"), f.PathOf("architecture"), ModelRegistry.Unknown(architecture));
        return architecture;
    }

    /// <summary>The optimizer block at <paramref name="at"/> (<c>optimizer</c>, or a condition's, already merged).</summary>
    private static OptimizerSpec ReadOptimizer(SpecNode? node, string at, List<SpecError> errors)
    {
        if (node is null) return new OptimizerSpec("adam", 0.001);
        var f = SpecFields.Of(node, at, errors, node.File);
        if (f is null) return new OptimizerSpec("adam", 0.001);
        string name = f.Choice("name", "adam", ["adam", "sgd"]);
        double lr = f.Double("lr", name == "sgd" ? 0.01 : 0.001, min: 0, exclusiveMin: true);
        double l2 = f.Double("l2", 0, min: 0);
        if (name == "adam")
        {
            double beta1 = 0.9, beta2 = 0.999;
            if (f.Node("betas") is { } betas)
            {
                if (betas is SpecSequence { Items.Count: 2 } pair)
                {
                    beta1 = f.AsDouble(pair.Items[0], $"{at}.betas[0]", 0, 1, exclusiveMax: true) ?? beta1;
                    beta2 = f.AsDouble(pair.Items[1], $"{at}.betas[1]", 0, 1, exclusiveMax: true) ?? beta2;
                }
                else f.Error(betas, $"{at}.betas", "expected a list of two numbers, e.g. [0.9, 0.999]");
            }
            double? epsilon = f.Node("epsilon") is { } e ? f.AsDouble(e, $"{at}.epsilon", 0, exclusiveMin: true) : null;
            f.Finish();
            return new OptimizerSpec("adam", lr, beta1, beta2, epsilon, L2: l2);
        }
        double momentum = f.Double("momentum", 0, min: 0, max: 1, exclusiveMax: true);
        double decay = f.Double("decay", 0, min: 0);
        f.Finish();
        return new OptimizerSpec("sgd", lr, Momentum: momentum, Decay: decay, L2: l2);
    }

    /// <summary>The image block at <paramref name="at"/> (<c>image</c>, or a condition's, already merged).</summary>
    private static ImageSpec ReadImage(SpecNode? node, string at, List<SpecError> errors)
    {
        var fallback = new ImageSpec(256, 256, ColorMode.Rgb, Normalize: InputNormalization.Default == "none" ? null : InputNormalization.Default);
        if (node is null) return fallback;
        var f = SpecFields.Of(node, at, errors, node.File);
        if (f is null) return fallback;
        int height = 256, width = 256;
        if (f.Node("size") is { } size)
        {
            if (size is SpecSequence { Items.Count: 2 } hw)
            {
                height = f.AsInt(hw.Items[0], $"{at}.size[0]", min: 8, max: SpecLimits.ImageSide) ?? height;
                width = f.AsInt(hw.Items[1], $"{at}.size[1]", min: 8, max: SpecLimits.ImageSide) ?? width;
            }
            else if (size is SpecScalar) height = width = f.AsInt(size, $"{at}.size", min: 8, max: SpecLimits.ImageSide) ?? 256;
            else f.Error(size, $"{at}.size", "expected a side length (256) or [height, width]");
        }
        string reduction = f.Choice("mono_reduction", "mean", ["mean", "max", "luminance"]);
        var colorMode = ColorMode.Rgb;
        if (f.Node("color_mode") is { } cm) colorMode = ReadColorMode(f, cm, $"{at}.color_mode", reduction) ?? colorMode;
        else if (reduction != "mean") colorMode = colorMode with { MonoReduction = reduction };
        string rescale = f.Choice("rescale", "bit_depth", ["bit_depth", "max", "percentile"]);
        string filter = f.Choice("resize_filter", "bilinear", ["bilinear", "nearest", "area"]);
        string normalize = f.Choice("normalize", InputNormalization.Default, InputNormalization.Modes);
        string? tiffPage = f.String("tiff_page", null);
        if (tiffPage is not null && !(tiffPage is "max" or "mean" || (int.TryParse(tiffPage, NumberStyles.None, CultureInfo.InvariantCulture, out int page) && page >= 0)))
        {
            f.Error(f.Node("tiff_page"), $"{at}.tiff_page", $"'{tiffPage}' is not a page index (0, 1, ...), max or mean");
            tiffPage = null;
        }
        f.Finish();
        return new ImageSpec(height, width, colorMode, rescale, filter, tiffPage == "0" ? null : tiffPage,
            normalize == "none" ? null : normalize);
    }

    /// <summary>rgb | mono | one channel name or index | a list of them | names joined with '+'.</summary>
    internal static ColorMode? ReadColorMode(SpecFields f, SpecNode node, string at, string reduction)
    {
        IReadOnlyList<string> channels;
        if (node is SpecSequence list)
        {
            channels = list.Items.Select((n, i) => f.AsString(n, $"{at}[{i}]") ?? "").ToArray();
            if (channels.Count == 0) { f.Error(node, at, "the channel list is empty"); return null; }
        }
        else
        {
            string text = f.AsString(node, at) ?? "";
            if (text == "rgb") return new ColorMode("rgb", [], reduction);
            if (text == "mono") return new ColorMode("mono", [], reduction);
            channels = text.Split('+', StringSplitOptions.TrimEntries);
        }
        var known = new[] { "red", "green", "blue", "r", "g", "b", "0", "1", "2", "3" };
        foreach (var c in channels)
            if (!known.Contains(c))
            {
                f.Error(node, at, $"'{c}' is not a colour mode or channel (rgb, mono, red, green, blue, or an index 0-3)");
                return null;
            }
        if (channels.Distinct().Count() != channels.Count) { f.Error(node, at, "a channel is listed twice"); return null; }
        return new ColorMode("channels", channels, reduction);
    }

    private static IReadOnlyList<ConditionSpec> ReadConditions(SpecFields parent, string sourcePath, SpecNode? topOptimizer, SpecNode? topImage)
    {
        var node = parent.Node("conditions", required: true);
        if (node is null) return [];
        var f = SpecFields.Of(node, "conditions", ErrorsOf(parent), node.File);
        if (f is null) return [];
        f.MarkAllRead();
        var result = new List<ConditionSpec>();
        foreach (var (key, value) in f.Entries)
        {
            string at = $"conditions.{key.Value}";
            if (!System.Text.RegularExpressions.Regex.IsMatch(key.Value, "^[A-Za-z0-9][A-Za-z0-9_.-]*$"))
                f.Error(key, at, "condition names use letters, digits, '_', '-' and '.' only");
            var c = SpecFields.Of(value, at, ErrorsOf(parent), value.File);
            if (c is null) continue;
            var data = ReadData(c, at, sourcePath);
            var control = ReadControl(c, at);
            var overrides = ReadConditionOverrides(c, at, topOptimizer, topImage);
            c.Finish();
            result.Add(new ConditionSpec(key.Value, data, control, overrides));
        }
        if (f.Entries.Count() == 0) f.Error(node, "conditions", "at least one condition is needed");
        return result;
    }

    private static ControlSpec? ReadControl(SpecFields condition, string at)
    {
        if (condition.Node("control") is not { } node || SpecFields.Of(node, $"{at}.control", ErrorsOf(condition), node.File) is not { } cf) return null;
        string kind = cf.String("kind", "", required: true) ?? "";
        if (kind.Length > 0 && !TrainingSetView.ControlNames.Contains(kind))
            cf.Error(cf.Node("kind"), $"{at}.control.kind", $"'{kind}' is not one of: {string.Join(", ", TrainingSetView.ControlNames)}");
        double fraction = cf.Double("fraction", 1.0, min: 0, max: 1, exclusiveMin: true);
        var withFraction = TrainingSetView.Controls.Where(k => k.TakesFraction).Select(k => k.Name).ToArray();
        if (!withFraction.Contains(kind) && cf.Node("fraction") is { } fn && fraction != 1.0)
            cf.Error(fn, $"{at}.control.fraction", $"only {string.Join(", ", withFraction)} takes a fraction");
        cf.Finish();
        return new ControlSpec(kind, fraction);
    }

    /// <summary>
    /// The run-level keys a condition sets, read by the same code as the top-level keys so that they are checked the
    /// same way and every error points at the condition's own lines. <c>optimizer</c> with a <c>name</c> replaces
    /// the spec's optimizer; without one its keys are laid over the spec's optimizer block, as <c>image</c>'s keys
    /// are over the spec's image block (a merge of the YAML nodes, so cross-key rules such as "betas are Adam's"
    /// see the merged block).
    /// </summary>
    private static ConditionOverrides? ReadConditionOverrides(SpecFields c, string at, SpecNode? topOptimizer, SpecNode? topImage)
    {
        var keyPaths = new List<string>();
        string? architecture = c.Node("architecture") is null ? null : ReadArchitecture(c, required: false);
        if (architecture is not null) keyPaths.Add("architecture");
        int? epochs = c.Node("epochs") is null ? null : c.Int("epochs", 1, min: 1, max: SpecLimits.Epochs);
        if (epochs is not null) keyPaths.Add("epochs");
        int? batchSize = c.Node("batch_size") is null ? null : c.Int("batch_size", 20, min: 1, max: SpecLimits.BatchSize);
        if (batchSize is not null) keyPaths.Add("batch_size");
        var init = ReadInit(c);
        if (init is not null) keyPaths.Add("init");

        // Errors of top-level entries carried into a merge were reported once already, at the top level.
        var local = new List<SpecError>();
        OptimizerSpec? optimizer = null;
        if (c.Node("optimizer") is { } own)
        {
            bool whole = own is not SpecMapping m || m.Entries.Any(e => e.Key.Value == "name");
            keyPaths.AddRange(whole ? ["optimizer"] : ((SpecMapping)own).Entries.Select(e => $"optimizer.{e.Key.Value}"));
            optimizer = ReadOptimizer(whole ? own : Merge(topOptimizer, own), $"{at}.optimizer", local);
        }
        ImageSpec? image = null;
        if (c.Node("image") is { } ownImage)
        {
            keyPaths.AddRange(ownImage is SpecMapping im ? im.Entries.Select(e => $"image.{e.Key.Value}") : ["image"]);
            image = ReadImage(Merge(topImage, ownImage), $"{at}.image", local);
        }
        foreach (var e in local)
            if (!c.Errors.Any(x => x.File == e.File && x.Line == e.Line && x.Column == e.Column && x.Message == e.Message))
                c.Errors.Add(e);
        return keyPaths.Count == 0 ? null : new ConditionOverrides(keyPaths, architecture, optimizer, image, epochs, batchSize, init);
    }

    /// <summary>The keys of <paramref name="own"/> laid over those of <paramref name="top"/>; positions stay where each key was written.</summary>
    private static SpecNode Merge(SpecNode? top, SpecNode own) =>
        top is SpecMapping t && own is SpecMapping o
            ? o with { Entries = t.Entries.Where(e => o.Entries.All(x => x.Key.Value != e.Key.Value)).Concat(o.Entries).ToList() }
            : own;

    /// <summary>
    /// A grid may not vary a key a condition sets: which one wins would be a silent rule, and either answer would
    /// surprise someone. The error stands at the condition's key and names the grid's position.
    /// </summary>
    private static void CheckGridAgainstConditions(SpecNode root, IReadOnlyList<GridAxis> grid, IReadOnlyList<ConditionSpec> conditions, List<SpecError> errors)
    {
        foreach (var condition in conditions)
            foreach (var axis in grid)
            {
                string? key = axis.KeyPath == "data.train_subset"
                    ? condition.Data.TrainSubset is null ? null : "data.train_subset"
                    : condition.Overrides?.ConflictWith(axis.KeyPath);
                if (key is null) continue;
                var at = Find(root, ["conditions", condition.Name, .. key.Split('.')]) ?? root;
                var gridAt = Find(root, ["grid"]) is SpecMapping g ? g.Entries.First(e => e.Key.Value == axis.KeyPath).Key : root;
                errors.Add(new SpecError(at.File, at.Line, at.Column, $"conditions.{condition.Name}.{key}",
                    $"the grid varies {axis.KeyPath} ({gridAt.File}:{gridAt.Line}:{gridAt.Column}) and this condition sets {key}; " +
                    "set it in one place: drop it from the condition, or from the grid"));
            }
    }

    /// <summary>The node at <paramref name="keys"/> below <paramref name="node"/>, or null.</summary>
    private static SpecNode? Find(SpecNode? node, IEnumerable<string> keys)
    {
        foreach (var k in keys)
            node = node is SpecMapping m ? m.Entries.FirstOrDefault(e => e.Key.Value == k).Value : null;
        return node;
    }

    /// <summary>A condition's <c>data:</c> block: exactly one of the registered sources, each read by its own <see cref="IDataSource"/>.</summary>
    private static DataSpec ReadData(SpecFields condition, string at, string sourcePath)
    {
        var empty = new DataSpec(null);
        var node = condition.Node("data", required: true);
        if (node is null) return empty;
        var f = SpecFields.Of(node, $"{at}.data", ErrorsOf(condition), node.File);
        if (f is null) return empty;
        var sources = new List<IDataSourceSpec>();
        foreach (var source in DataSources.All)
            if (f.Node(source.Key) is { } sn && SpecFields.Of(sn, $"{at}.data.{source.Key}", ErrorsOf(condition), sn.File) is { } block)
                sources.Add(source.Read(block, $"{at}.data.{source.Key}", sourcePath));
        int? subset = f.Node("train_subset") is { } sub ? f.AsInt(sub, $"{at}.data.train_subset", min: 1) : null;
        bool skipUnreadable = f.Bool("skip_unreadable", false);
        var augment = ReadAugment(f, condition, at);
        if (sources.Count != 1)
            f.Error(node, $"{at}.data", $"give exactly one data source: {DataSources.KeyList}");
        f.Finish();
        return new DataSpec(sources.Count == 1 ? sources[0] : null, subset, skipUnreadable, augment);
    }

    private static AugmentSpec? ReadAugment(SpecFields f, SpecFields condition, string at)
    {
        if (f.Node("augment") is not { } an || SpecFields.Of(an, $"{at}.data.augment", ErrorsOf(condition), an.File) is not { } a) return null;
        var spec = new AugmentSpec(
            a.Double("rotate_degrees", 0, min: 0, max: 180),
            a.Bool("flip", false),
            a.Int("shift_pixels", 0, min: 0, max: SpecLimits.ImageSide),
            a.Choice("fill", "reflect", ["reflect", "nearest", "constant"]));
        a.Finish();
        return spec;
    }

    private static IReadOnlyList<GridAxis> ReadGrid(SpecFields parent)
    {
        var node = parent.Node("grid");
        if (node is null) return [];
        var f = SpecFields.Of(node, "grid", ErrorsOf(parent), node.File);
        if (f is null) return [];
        f.MarkAllRead();
        var axes = new List<GridAxis>();
        foreach (var (key, value) in f.Entries)
        {
            string at = $"grid.{key.Value}";
            if (!GridKeys.Contains(key.Value)) { f.Error(key, at, $"'{key.Value}' cannot be varied in a grid; these can: {string.Join(", ", GridKeys)}"); continue; }
            if (value is not SpecSequence list || list.Items.Count == 0) { f.Error(value, at, "expected a non-empty list of values"); continue; }
            var values = list.Items.Select((n, i) => n switch
            {
                SpecScalar s => s.Value,
                SpecSequence inner when ListGridKeys.TryGetValue(key.Value, out var separator) =>
                    string.Join(separator, inner.Items.Select(x => (x as SpecScalar)?.Value ?? "?")),
                _ => f.AsString(n, $"{at}[{i}]") ?? "",
            }).ToArray();
            if (values.Distinct().Count() != values.Length) f.Error(value, at, "a value is listed twice");
            axes.Add(new GridAxis(key.Value, values));
        }
        return axes;
    }

    /// <summary>Every grid value must make a valid spec: apply each one as an override and convert again.</summary>
    private static void CheckGridValues(SpecNode root, string sourcePath, IReadOnlyList<GridAxis> grid, List<SpecError> errors)
    {
        foreach (var axis in grid)
            foreach (var value in axis.Values)
            {
                var local = new List<SpecError>();
                string yamlValue = ListGridKeys.TryGetValue(axis.KeyPath, out var separator) && value.Contains(separator, StringComparison.Ordinal)
                    ? $"[{value.Replace(separator, ",", StringComparison.Ordinal)}]" : value;
                // data.* lives in each condition's data block, so the value is tried in each of them.
                var paths = axis.KeyPath.StartsWith("data.", StringComparison.Ordinal)
                    ? (Find(root, ["conditions"]) as SpecMapping)?.Entries.Select(e => $"conditions.{e.Key.Value}.{axis.KeyPath}").ToArray() ?? []
                    : [axis.KeyPath];
                var variant = paths.Aggregate((SpecNode?)root, (node, path) => SpecYaml.ApplyOverride(node, $"{path}={yamlValue}", 0, local));
                if (variant is not null) Convert(variant, sourcePath, local, checkGrid: false);
                foreach (var e in local)
                    errors.Add(e with { File = root.File, Line = root.Line, Column = root.Column, KeyPath = $"grid.{axis.KeyPath}", Message = $"value '{value}': {e.Message}" });
            }
    }

    /// <summary>The runs would fail before their first epoch when the image is smaller than the architecture's pools and valid convolutions need.</summary>
    private static void CheckImageFitsArchitecture(SpecFields f, string architecture, ImageSpec image)
    {
        if (!ModelRegistry.Names.Contains(architecture)) return;
        if (ModelRegistry.InputTooSmall(architecture, image.Height, image.Width) is not { } why) return;
        var size = (f.Node("image") as SpecMapping)?.Entries.FirstOrDefault(e => e.Key.Value == "size").Value;
        if (size is not null) f.Error(size, "image.size", why);
        else f.Error(f.Node("architecture"), "architecture", $"image.size defaults to 256 x 256: {why}");
    }

    /// <summary>A grid that varies both the architecture and the image size: every pair must fit (each axis alone is checked as an override).</summary>
    private static void CheckGridArchitecturesAndSizes(SpecFields f, IReadOnlyList<GridAxis> grid)
    {
        var architectures = grid.FirstOrDefault(a => a.KeyPath == "architecture")?.Values;
        var sizes = grid.FirstOrDefault(a => a.KeyPath == "image.size")?.Values;
        if (architectures is null || sizes is null) return;
        foreach (var name in architectures.Where(ModelRegistry.Names.Contains))
            foreach (var size in sizes)
            {
                var sides = size.Split('x');
                if (!int.TryParse(sides[0], NumberStyles.None, CultureInfo.InvariantCulture, out int h) ||
                    !int.TryParse(sides[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int w) || h < 1 || w < 1) continue;
                if (ModelRegistry.InputTooSmall(name, h, w) is { } why)
                    f.Error(f.Node("grid"), "grid", $"architecture '{name}' with image.size {size}: {why}");
            }
    }

    private static TrackingSpec ReadTracking(SpecFields parent)
    {
        var node = parent.Node("tracking");
        if (node is null) return new TrackingSpec(null);
        var f = SpecFields.Of(node, "tracking", ErrorsOf(parent), node.File);
        if (f is null) return new TrackingSpec(null);
        MlflowSpec? mlflow = null;
        if (f.Node("mlflow") is { } mn && SpecFields.Of(mn, "tracking.mlflow", ErrorsOf(parent), mn.File) is { } m)
        {
            bool enabled = m.Bool("enabled", true);
            string? uri = m.String("tracking_uri", null);
            if (uri is not null && !(Uri.TryCreate(uri, UriKind.Absolute, out var u) && (u.Scheme == "http" || u.Scheme == "https")))
                m.Error(m.Node("tracking_uri"), "tracking.mlflow.tracking_uri", $"'{uri}' is not an http(s) URI");
            mlflow = new MlflowSpec(enabled, uri, m.String("experiment_name", null));
            m.Finish();
        }
        f.Finish();
        return new TrackingSpec(mlflow);
    }

    private static PublishedSpec? ReadPublished(SpecFields parent, IReadOnlyList<ConditionSpec> conditions)
    {
        var node = parent.Node("published");
        if (node is null) return null;
        var f = SpecFields.Of(node, "published", ErrorsOf(parent), node.File);
        if (f is null) return null;
        string source = f.String("source", "") ?? "";
        var values = new List<PublishedValue>();
        if (f.Node("values", required: true) is { } vn)
        {
            if (vn is not SpecSequence list) f.Error(vn, "published.values", "expected a list of {condition, measure, value, note}");
            else
                for (int i = 0; i < list.Items.Count; i++)
                {
                    string at = $"published.values[{i}]";
                    if (SpecFields.Of(list.Items[i], at, ErrorsOf(parent), list.Items[i].File) is not { } v) continue;
                    string condition = v.String("condition", "", required: true) ?? "";
                    if (condition.Length > 0 && conditions.Count > 0 && conditions.All(c => c.Name != condition))
                        v.Error(v.Node("condition"), $"{at}.condition", $"no condition '{condition}' in this spec ({string.Join(", ", conditions.Select(c => c.Name))})");
                    string measure = v.String("measure", "", required: true) ?? "";
                    double value = v.Node("value", required: true) is { } x ? v.AsDouble(x, $"{at}.value", 0, 1) ?? 0 : 0;
                    string note = v.String("note", "") ?? "";
                    v.Finish();
                    values.Add(new PublishedValue(condition, measure, value, note));
                }
        }
        f.Finish();
        return new PublishedSpec(source, values);
    }

    private static List<SpecError> ErrorsOf(SpecFields f) => f.Errors;
}
