using System.CommandLine;
using System.Globalization;
using Harness.Data;
using Harness.Specs;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary><c>harness data ...</c>: look at and prepare image data.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Look at and prepare image data");
        command.Subcommands.Add(Synth());
        command.Subcommands.Add(Inspect());
        command.Subcommands.Add(Tile());
        command.Subcommands.Add(Rotate());
        return command;
    }

    private static Command Synth()
    {
        var preset = new Option<string>("--preset") { Description = string.Join(" or ", SyntheticPreset.Names), Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write into: train/<class>/*.png and one folder per test set (or <class>/*.png with --count)", Required = true };
        var count = new Option<int?>("--count") { Description = "Independent images per class instead of the published recipe (no fields, tiles or rotations)" };
        var seed = new Option<int>("--seed") { Description = "Data seed (a spec's data_seed)", DefaultValueFactory = _ => 0 };
        var size = new Option<int>("--size") { Description = "Tile (image) side in pixels", DefaultValueFactory = _ => 256 };
        var trainFields = new Option<int>("--train-fields") { Description = "Fields per class in the training folder", DefaultValueFactory = _ => new SyntheticFieldsSpec().Train };
        var testFields = new Option<int>("--test-fields") { Description = "Fields per class in each test set", DefaultValueFactory = _ => new SyntheticFieldsSpec().Test };
        var testSets = new Option<int>("--test-sets") { Description = "Test sets, each from its own fields", DefaultValueFactory = _ => new SyntheticFieldsSpec().TestSets };
        var grid = new Option<int>("--grid") { Description = "Tiles per field side", DefaultValueFactory = _ => new SyntheticFieldsSpec().Grid };
        var step = new Option<int>("--rotation-step") { Description = "Degrees between rotated copies of a tile (0: none)", DefaultValueFactory = _ => new SyntheticFieldsSpec().RotationStep };
        var copies = new Option<string>("--copies") { Description = "rotated: each copy rotated by its angle; identical: the unrotated tile under every angle's name, as the published snippet saved it", DefaultValueFactory = _ => SyntheticFieldsSpec.RotatedCopies };
        var command = new Command("synth", "Write a synthetic data set as PNG, exactly as a run of a synthetic condition sees it (the published recipe: fields, 8-bit stretch, tiles, rotated copies, held-out test fields)")
        {
            preset, output, count, seed, size, trainFields, testFields, testSets, grid, step, copies,
        };
        command.SetAction(parse => Failures.Guard(() =>
        {
            string p = parse.GetValue(preset)!;
            string dir = parse.GetValue(output)!.FullName;
            _ = SyntheticPreset.Get(p); // an unknown preset: one clear line listing the known ones
            if (parse.GetValue(count) is { } n)
            {
                if (n < 1) throw new ArgumentException("--count must be at least 1");
                var files = SyntheticImageExporter.Export(p, dir, n, parse.GetValue(seed), parse.GetValue(size));
                Console.WriteLine($"{files.Count} independent image(s) of preset {p} written to {dir}");
            }
            else
            {
                string kind = parse.GetValue(copies)!;
                if (!SyntheticFieldsSpec.CopyKinds.Contains(kind)) throw new ArgumentException($"--copies '{kind}': use rotated or identical");
                var fields = new SyntheticFieldsSpec(parse.GetValue(trainFields), parse.GetValue(testFields), parse.GetValue(testSets), parse.GetValue(grid), parse.GetValue(step), kind);
                if (parse.GetValue(size) < 16) throw new ArgumentException("--size must be at least 16");
                var spec = new SyntheticDataSpec(p, fields.ImagesPerClass(fields.Train), fields.ImagesPerClass(fields.Test), parse.GetValue(seed), parse.GetValue(size), fields);
                var written = SyntheticFields.Export(spec, dir);
                Console.WriteLine($"Preset {p}, data seed {parse.GetValue(seed)}: {string.Join(", ", written.Select(w => $"{w.Key} {w.Value} images"))} written to {dir}");
                Console.WriteLine($"As a spec: data: {{folders: {{train: {Path.Combine(dir, "train")}, tests: {{{string.Join(", ", written.Keys.Where(k => k != "train").Select(k => $"{k}: {Path.Combine(dir, k)}"))}}}}}, train_subset: 400}}");
            }
            Console.WriteLine($"Bayes-optimal accuracy of {p}: {SyntheticCells.BayesOptimalAccuracy(p):P1} (the best any classifier can do on one image)");
            return 0;
        }));
        return command;
    }

    private static Command Inspect()
    {
        var dirs = new Argument<DirectoryInfo[]>("DIR") { Description = "Class-per-folder image directories (several: duplicates across them are found too)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("inspect", "Classes, counts, sizes, bit depths, channels, phantom, unreadable and duplicate files") { dirs };
        command.SetAction(parse => Failures.Guard(() =>
        {
            var inspection = DataInspector.Inspect(parse.GetValue(dirs)!.Select(d => d.FullName).ToArray());
            var bad = false;
            foreach (var folder in inspection.Folders)
            {
                var table = new Table().Title(Markup.Escape(folder.Root)).AddColumn("class").AddColumn(new TableColumn("images").RightAligned());
                for (var c = 0; c < folder.ClassNames.Count; c++)
                    table.AddRow(Markup.Escape(folder.ClassNames[c]), folder.CountPerClass[c].ToString(CultureInfo.InvariantCulture));
                AnsiConsole.Write(table);
                Console.WriteLine($"  phantom/ignored files: {folder.Phantom.Count}{(folder.Phantom.Count > 0 ? " (" + string.Join(", ", folder.Phantom.Take(10)) + (folder.Phantom.Count > 10 ? ", ..." : "") + ")" : "")}");
                Console.WriteLine($"  unreadable files: {folder.Unreadable.Count}");
                foreach (var u in folder.Unreadable) Console.WriteLine("    " + u);
                foreach (var p in folder.Problems) Console.WriteLine("  problem: " + p);
                bad |= folder.Unreadable.Count > 0 || folder.Problems.Count > 0;
            }
            var summary = new Table().Title("images").AddColumn("property").AddColumn("value").AddColumn(new TableColumn("files").RightAligned());
            foreach (var (k, v) in inspection.Sizes) summary.AddRow("size", k, Invariant(v));
            foreach (var (k, v) in inspection.BitDepths) summary.AddRow("bit depth", Markup.Escape(k), Invariant(v));
            foreach (var (k, v) in inspection.ChannelCounts) summary.AddRow("channels", Invariant(k), Invariant(v));
            foreach (var (k, v) in inspection.PageCounts) summary.AddRow("pages", Invariant(k), Invariant(v));
            AnsiConsole.Write(summary);
            if (inspection.ChannelCounts.Count > 1) Console.WriteLine("Warning: mixed channel counts; a run refuses such data.");
            Console.WriteLine($"Exact duplicates (same bytes): {inspection.Duplicates.Count} set(s)");
            foreach (var set in inspection.Duplicates)
            {
                var across = set.Select(p => inspection.Folders.First(f => p.StartsWith(f.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)).Root).Distinct().Count() > 1;
                Console.WriteLine($"  {(across ? "across folders" : "within a folder")}: {string.Join("  ", set)}");
            }
            return bad ? 1 : 0;
        }));
        return command;
    }

    private static Command Tile()
    {
        var input = new Argument<DirectoryInfo>("DIR") { Description = "Folder of large fields (class subfolders kept)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the tiles into", Required = true };
        var grid = new Option<int>("--grid") { Description = "Cut each image into a GRID x GRID grid (published: 4, i.e. 16 tiles)", DefaultValueFactory = _ => 4 };
        var size = new Option<int?>("--tile-size") { Description = "Cut into tiles of this side instead (e.g. 40 for cell montages)" };
        var keep = new Option<bool>("--keep-duplicates") { Description = "Keep tiles that repeat an earlier tile of the same image exactly (montage filler)" };
        var command = new Command("tile", "Cut large fields into tiles named <source>_t<row>x<col>, so splits keep a field's tiles together") { input, output, grid, size, keep };
        command.SetAction(parse => Failures.Guard(() =>
        {
            var g = parse.GetValue(grid);
            var (written, duplicates) = ImageTiler.TileFolder(parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName, g, g, parse.GetValue(size), !parse.GetValue(keep));
            Console.WriteLine($"{written} tile(s) written to {parse.GetValue(output)!.FullName}; {duplicates} duplicate tile(s) dropped");
            return 0;
        }));
        return command;
    }

    private static Command Rotate()
    {
        var input = new Argument<DirectoryInfo>("DIR") { Description = "Folder of images (class subfolders kept)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the rotated copies into", Required = true };
        var angles = new Option<int[]>("--angles") { Description = "Whole-degree angles (published: -5 to 5); default -5..5 without 0", AllowMultipleArgumentsPerToken = true };
        var fill = new Option<string>("--fill") { Description = "Fill for corners: reflect, nearest or constant (0)", DefaultValueFactory = _ => "reflect" };
        var command = new Command("rotate", "Write really rotated copies <stem>_<angle>.png of every image") { input, output, angles, fill };
        command.SetAction(parse => Failures.Guard(() =>
        {
            var list = parse.GetValue(angles) is { Length: > 0 } a ? a : [-5, -4, -3, -2, -1, 1, 2, 3, 4, 5];
            var written = ImageRotation.RotateFolder(parse.GetValue(input)!.FullName, parse.GetValue(output)!.FullName, list, parse.GetValue(fill)!);
            Console.WriteLine($"{written} rotated image(s) written to {parse.GetValue(output)!.FullName} (fill: {parse.GetValue(fill)})");
            return 0;
        }));
        return command;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
