using Harness.Attribution;

namespace Harness.Tests.Attribution;

public sealed class PredictionExamplesTests
{
    [Fact]
    public void The_panel_spreads_its_images_over_a_class_so_rotated_copies_of_one_tile_do_not_fill_it()
    {
        // 16 tiles x 20 rotated copies, stored tile after tile: six evenly spread picks land on six different tiles.
        var indices = Enumerable.Range(100, 320).ToArray();
        var picked = PredictionExamples.SpreadOver(indices, 6).ToArray();
        Assert.Equal([100, 153, 206, 260, 313, 366], picked);
        Assert.Equal(6, picked.Select(i => (i - 100) / 20).Distinct().Count());
        Assert.Equal([3, 5], PredictionExamples.SpreadOver([3, 5], 6));
    }
}
