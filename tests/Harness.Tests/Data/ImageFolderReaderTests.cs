using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

public sealed class ImageFolderReaderTests
{
    private static readonly ImageSpec Small = new(16, 16, ColorMode.Rgb);

    [Fact]
    public void Phantom_and_non_image_files_are_ignored_and_counted()
    {
        using var temp = new TempFolder();
        SyntheticImageExporter.Export("snap29-like", temp.Path, 3, seed: 1, size: 32);
        File.WriteAllText(temp.Combine("control", ".DS_Store"), "x");
        File.WriteAllText(temp.Combine("control", "._control-0000.png"), "x");
        File.WriteAllText(temp.Combine("snap29", "notes.txt"), "x");
        File.WriteAllText(temp.Combine("snap29", "Thumbs.db"), "x");
        File.WriteAllText(temp.Combine(".DS_Store"), "x");
        Directory.CreateDirectory(temp.Combine("__MACOSX"));

        var (listing, images) = ImageFolderReader.ReadFolder(temp.Path, Small);

        Assert.Equal(["control", "snap29"], listing.ClassNames);
        Assert.Equal(6, images.Count);
        Assert.Equal(6, listing.Ignored.Count);
        Assert.Contains("control/._control-0000.png", listing.Ignored);
        Assert.Equal([3, 3], listing.CountPerClass);
    }

    [Fact]
    public void Classes_are_sorted_ordinally_whatever_the_creation_order()
    {
        using var temp = new TempFolder();
        foreach (var name in new[] { "zeta", "Beta", "alpha" })
        {
            PngWriter.Write(temp.Combine(name, "b.png"), new float[3 * 8 * 8], 3, 8, 8);
            PngWriter.Write(temp.Combine(name, "a.png"), new float[3 * 8 * 8], 3, 8, 8);
        }

        var listing = ImageFolderReader.List(temp.Path);

        Assert.Equal(["Beta", "alpha", "zeta"], listing.ClassNames);
        Assert.Equal(["Beta/a.png", "Beta/b.png", "alpha/a.png"], listing.Files.Take(3).Select(f => f.RelativePath));
        Assert.Equal([0, 0, 1, 1, 2, 2], listing.Files.Select(f => f.Label));
    }

    [Fact]
    public void Every_corrupt_image_is_reported_with_its_path()
    {
        using var temp = new TempFolder();
        SyntheticImageExporter.Export("snf7-like", temp.Path, 2, size: 32);
        File.WriteAllBytes(temp.Combine("control", "broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        File.WriteAllText(temp.Combine("snf7", "text.jpg"), "not a jpeg");

        var e = Assert.Throws<DataException>(() => ImageFolderReader.ReadFolder(temp.Path, Small));

        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Contains(temp.Combine("control", "broken.png")));
        Assert.Contains(e.Problems, p => p.Contains(temp.Combine("snf7", "text.jpg")));
    }

    [Fact]
    public void Png_round_trip_keeps_pixels_to_eight_bits()
    {
        using var temp = new TempFolder();
        var pixels = new SyntheticCells("snap29-like", 32).Render(1, 9);
        PngWriter.Write(temp.Combine("x.png"), pixels, 3, 32, 32);

        var decoded = ImageDecoder.Decode(temp.Combine("x.png"));

        Assert.Equal(32, decoded.Height);
        Assert.Equal(32, decoded.Width);
        for (var i = 0; i < pixels.Length; i++) Assert.True(Math.Abs(pixels[i] - decoded.Pixels[i]) <= 0.5f / 255 + 1e-6f, $"pixel {i}");
    }

    [Fact]
    public void Sixteen_bit_grey_tiff_is_decoded_and_rescaled_by_bit_depth()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("g.tif");
        using (var tif = BitMiracle.LibTiff.Classic.Tiff.Open(path, "w"))
        {
            tif.SetField(BitMiracle.LibTiff.Classic.TiffTag.IMAGEWIDTH, 4);
            tif.SetField(BitMiracle.LibTiff.Classic.TiffTag.IMAGELENGTH, 2);
            tif.SetField(BitMiracle.LibTiff.Classic.TiffTag.BITSPERSAMPLE, 16);
            tif.SetField(BitMiracle.LibTiff.Classic.TiffTag.SAMPLESPERPIXEL, 1);
            tif.SetField(BitMiracle.LibTiff.Classic.TiffTag.PHOTOMETRIC, BitMiracle.LibTiff.Classic.Photometric.MINISBLACK);
            tif.SetField(BitMiracle.LibTiff.Classic.TiffTag.PLANARCONFIG, BitMiracle.LibTiff.Classic.PlanarConfig.CONTIG);
            tif.SetField(BitMiracle.LibTiff.Classic.TiffTag.ROWSPERSTRIP, 2);
            for (var y = 0; y < 2; y++)
            {
                var row = new byte[8];
                for (var x = 0; x < 4; x++) BitConverter.GetBytes((ushort)(x * 20000 + y)).CopyTo(row, 2 * x);
                tif.WriteScanline(row, y);
            }
        }

        var image = ImageDecoder.Decode(path);

        Assert.Equal((2, 4), (image.Height, image.Width));
        Assert.Equal(40000f / 65535f, image.Pixels[2], 5);
        Assert.Equal(image.Pixels[2], image.Pixels[8 + 2]);
        Assert.Equal(image.Pixels[2], image.Pixels[16 + 2]);
    }
}
