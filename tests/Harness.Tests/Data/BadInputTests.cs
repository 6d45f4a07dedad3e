using System.Diagnostics;
using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

/// <summary>
/// The bad-input suite: every kind of broken, hostile or mismatched file a data folder can hold, each put beside good
/// images. Preparing the data must end in one <see cref="DataException"/> whose problems name the file, and
/// <c>data inspect</c> must list it, never crash, hang or allocate what the file merely announces.
/// </summary>
public sealed class BadInputTests
{
    private static readonly ImageSpec Tiny = new(8, 8, ColorMode.Mono, ResizeFilter: "area");

    /// <summary>Every case of the suite, with the text the error must contain besides the file's name.</summary>
    public static TheoryData<string, string> Cases => new()
    {
        { "corrupt.png", "not a decodable image" },
        { "corrupt.jpg", "not a decodable image" },
        { "corrupt.tif", "not a readable TIFF" },
        { "signature_only.png", "no IHDR header" },
        { "corrupt_idat.png", "decoding failed" },
        { "truncated.png", "truncated" },
        { "truncated.tif", "truncated" },
        { "truncated16.png", "truncated" },
        { "empty.png", "empty file" },
        { "empty.tif", "empty file" },
        { "huge32768.png", "32768 x 32768 pixels" },
        { "huge23200.png", "23200 x 23200 pixels" },
        { "hugemax.png", "2147483647 x 2147483647 pixels" },
        { "huge16.png", "65535 x 65535 pixels" },
        { "huge.tif", "100000 x 100000 pixels" },
        { "hugemax.tif", "4294967295 x 4294967295 pixels" },
        { "huge.bmp", "40000 x 40000 pixels" },
        { "huge.jpg", "65000 x 65000 pixels" },
        { "zero_width.png", "no pixels" },
        { "text.png", "not a decodable image" },
        { "text.tif", "not a readable TIFF" },
        { "html.jpg", "not a decodable image" },
        { "dangling_link.png", "not found" },
        { "folder.png", "folder named like an image" },
        { "rgb_among_grey.tif", "different channel counts" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_file_stops_preparation_with_one_clear_error_naming_it(string name, string reason)
    {
        using var temp = new TempFolder();
        var bad = WriteFolderWithOneBadFile(temp, name);

        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(new DataSpec(new FolderDataSpec("data", [], 0.5)), Tiny, temp.Path));

        Assert.True(e.Problems.Any(p => p.Contains(bad, StringComparison.Ordinal) && p.Contains(reason, StringComparison.Ordinal)), string.Join("\n", e.Problems));
        Assert.DoesNotContain("   at ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inspect_lists_a_bad_file_and_goes_on(string name, string reason)
    {
        using var temp = new TempFolder();
        var bad = WriteFolderWithOneBadFile(temp, name);

        var folder = DataInspector.Inspect([temp.Combine("data")]).Folders.Single();
        var reported = folder.Unreadable.Concat(folder.Problems).ToArray();

        if (name == "rgb_among_grey.tif") Assert.Empty(reported); // a readable file: inspect reports the channel counts instead
        else Assert.True(reported.Any(p => p.Contains(bad, StringComparison.Ordinal) && p.Contains(reason, StringComparison.Ordinal)), string.Join("\n", reported));
        Assert.Equal(2, folder.CountPerClass[1]); // the other class was inspected all the same
    }

    [Fact]
    public void Images_of_different_sizes_are_resized_not_refused_and_inspect_lists_every_size()
    {
        using var temp = new TempFolder();
        WriteGoodImages(temp);
        TiffWriter.Write(temp.Combine("data", "a", "Z9.tif"), [new float[40 * 24]], 1, 40, 24);

        var data = DatasetLoader.Load(new DataSpec(new FolderDataSpec("data", [], 0.5)), Tiny, temp.Path);
        var inspection = DataInspector.Inspect([temp.Combine("data")]);

        Assert.Equal(6, data.Train.Count + data.Tests[0].Images.Count);
        Assert.Equal(["16x16", "40x24"], inspection.Sizes.Keys.ToArray());
    }

    [Fact]
    public void The_cli_prints_the_huge_and_corrupt_files_and_exits_1_without_a_stack_trace()
    {
        using var temp = new TempFolder();
        WriteGoodImages(temp);
        BadImageFiles.Png(temp.Combine("data", "a", "huge.png"), 32768, 32768);
        File.WriteAllText(temp.Combine("data", "b", "text.png"), "not an image");

        var (code, output) = Cli("data", "inspect", temp.Combine("data"));

        Assert.True(code == 1, output);
        Assert.Contains("huge.png: image is 32768 x 32768 pixels", output);
        Assert.Contains("text.png: not a decodable image", output);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled", output);
    }

    [Fact]
    public void A_huge_png_is_refused_from_its_header_with_its_size_and_the_limit()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("huge.png");
        BadImageFiles.Png(path, 32768, 32768);

        var e = Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeRaw(path));

        Assert.True(new FileInfo(path).Length < 1000);
        Assert.Contains("32768 x 32768 pixels (1073741824)", e.Message);
        Assert.Contains("limit of 268435456 pixels", e.Message);
        Assert.Contains(ImageLimits.MaxPixelsVariable, e.Message);
    }

    [Fact]
    public void The_pixel_limit_is_configurable_and_a_bad_setting_is_an_error()
    {
        Assert.Equal(ImageLimits.DefaultMaxPixels, ImageLimits.ParseMaxPixels(null));
        Assert.Equal(1L << 30, ImageLimits.ParseMaxPixels("1073741824"));
        Assert.Contains(ImageLimits.MaxPixelsVariable, Assert.Throws<DataException>(() => ImageLimits.ParseMaxPixels("1e9")).Message);
        Assert.Throws<DataException>(() => ImageLimits.ParseMaxPixels("0"));
        ImageLimits.CheckSize(32768, 32768, 1L << 30);
        Assert.Throws<InvalidDataException>(() => ImageLimits.CheckSize(100, 100, 9999));
    }

    [Fact]
    public void Buffer_lengths_derived_from_files_cannot_overflow()
    {
        Assert.Equal(12, ImageLimits.BufferLength("x", 3, 4));
        Assert.Contains("more than one array holds", Assert.Throws<InvalidDataException>(() => ImageLimits.BufferLength("image", 4, 23200, 23200)).Message);
        Assert.Contains("do not fit", Assert.Throws<InvalidDataException>(() => ImageLimits.BufferLength("image", int.MaxValue, int.MaxValue, int.MaxValue)).Message);
    }

    [Fact]
    public void An_idx_header_whose_dimensions_overflow_is_a_clear_error()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("images.idx");
        var header = new byte[4 + 16];
        header[2] = 0x08;
        header[3] = 4;
        for (var i = 0; i < 4; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), int.MaxValue);
        File.WriteAllBytes(path, header);

        var e = Assert.Throws<DataException>(() => IdxReader.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("too large", e.Message);
    }

    /// <summary>Two classes of three (a) and two (b) good 16 x 16 grey TIFFs, each its own source.</summary>
    private static void WriteGoodImages(TempFolder temp)
    {
        for (var c = 0; c < 2; c++)
            for (var k = 0; k < 3 - c; k++)
            {
                var p = new float[16 * 16];
                for (var i = 0; i < p.Length; i++) p[i] = (i * (k + 3) + 50 * c) % 250;
                TiffWriter.Write(temp.Combine("data", c == 0 ? "a" : "b", $"S{k}.tif"), [p], 1, 16, 16, 8);
            }
    }

    /// <summary>Good images plus the case's bad entry in class a; returns the path the error must name.</summary>
    private static string WriteFolderWithOneBadFile(TempFolder temp, string name)
    {
        WriteGoodImages(temp);
        var path = temp.Combine("data", "a", name);
        var random = new Random(name.Length);
        byte[] Noise(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }
        switch (name)
        {
            case "corrupt.png" or "corrupt.jpg" or "corrupt.tif":
                File.WriteAllBytes(path, Noise(4096));
                break;
            case "signature_only.png":
                File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);
                break;
            case "corrupt_idat.png":
            {
                BadImageFiles.Png(path, 8, 8, rows: new byte[8 * 9]);
                var bytes = File.ReadAllBytes(path);
                // Overwrite the compressed rows (after the 8-byte signature, the 25-byte IHDR chunk and the IDAT length and type).
                for (var i = 8 + 25 + 8; i < bytes.Length - 16; i++) bytes[i] = 0xFF;
                File.WriteAllBytes(path, bytes);
                break;
            }
            case "truncated.png":
            {
                PngWriter.Write(path, new float[3 * 64 * 64].Select((_, i) => (i % 7) / 7f).ToArray(), 3, 64, 64);
                var bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            }
            case "truncated.tif":
            {
                TiffWriter.Write(path, [new float[64 * 64].Select((_, i) => (float)(i % 251)).ToArray()], 1, 64, 64, 8);
                var bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
                break;
            }
            case "truncated16.png":
            {
                BadImageFiles.Png16(path, 64, 64, 0, 1, Enumerable.Range(0, 64 * 64).Select(i => (ushort)(i * 13)).ToArray());
                var bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            }
            case "empty.png" or "empty.tif":
                File.WriteAllBytes(path, []);
                break;
            case "huge32768.png":
                BadImageFiles.Png(path, 32768, 32768);
                break;
            case "huge23200.png":
                BadImageFiles.Png(path, 23200, 23200, 8, 2);
                break;
            case "hugemax.png":
                BadImageFiles.Png(path, int.MaxValue, int.MaxValue);
                break;
            case "huge16.png":
                BadImageFiles.Png(path, 65535, 65535, 16, 0);
                break;
            case "huge.tif":
                BadImageFiles.TiffHeader(path, 100000, 100000);
                break;
            case "hugemax.tif":
                BadImageFiles.TiffHeader(path, uint.MaxValue, uint.MaxValue);
                break;
            case "huge.bmp":
                BadImageFiles.BmpHeader(path, 40000, 40000);
                break;
            case "huge.jpg":
                BadImageFiles.JpegHeader(path, 65000, 65000);
                break;
            case "zero_width.png":
                BadImageFiles.Png(path, 0, 8);
                break;
            case "text.png" or "text.tif":
                File.WriteAllText(path, "name,value\nx,1\n");
                break;
            case "html.jpg":
                File.WriteAllText(path, "<!DOCTYPE html><html><body>404 Not Found</body></html>");
                break;
            case "dangling_link.png":
                File.CreateSymbolicLink(path, temp.Combine("nowhere.png"));
                break;
            case "folder.png":
                Directory.CreateDirectory(path);
                TiffWriter.Write(Path.Combine(path, "S9.tif"), [new float[16 * 16]], 1, 16, 16, 8);
                break;
            case "rgb_among_grey.tif":
                TiffWriter.Write(path, [new float[3 * 16 * 16]], 3, 16, 16, 8);
                break;
            default:
                throw new ArgumentException(name);
        }
        return path;
    }

    private static (int Code, string Output) Cli(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Harness.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["COLUMNS"] = "400";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "harness did not finish in 2 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
