using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

public sealed class SourceGroupSplitTests
{
    [Fact]
    public void Default_pattern_groups_rotated_copies_with_their_source()
    {
        var regex = new System.Text.RegularExpressions.Regex(FolderDataSpec.DefaultGroupPattern);
        Assert.Equal("C100", SourceGroupSplit.SourceOf("C100_-108.png", regex));
        Assert.Equal("C100", SourceGroupSplit.SourceOf("C100.png", regex));
        Assert.Equal("C100", SourceGroupSplit.SourceOf("C100_18.png", regex));
        Assert.Equal("noextension", SourceGroupSplit.SourceOf("noextension", regex));
    }

    [Fact]
    public void No_group_ever_crosses_the_split()
    {
        var rng = new Random(12345);
        for (var trial = 0; trial < 200; trial++)
        {
            var names = new List<string>();
            var labels = new List<int>();
            var classes = rng.Next(2, 4);
            for (var c = 0; c < classes; c++)
            {
                var sources = rng.Next(1, 12);
                for (var s = 0; s < sources; s++)
                {
                    var copies = rng.Next(1, 6);
                    for (var k = 0; k < copies; k++)
                    {
                        names.Add(k == 0 ? $"S{s}.png" : $"S{s}_{k * 18 - 36}.png");
                        labels.Add(c);
                    }
                }
            }
            var fraction = rng.NextDouble();

            var split = SourceGroupSplit.Split(names, labels, FolderDataSpec.DefaultGroupPattern, fraction);

            var trainGroups = split.Train.Select(i => (labels[i], Source(names[i]))).ToHashSet();
            var testGroups = split.Test.Select(i => (labels[i], Source(names[i]))).ToHashSet();
            Assert.Empty(trainGroups.Intersect(testGroups));
            Assert.Equal(names.Count, split.Train.Count + split.Test.Count);
            Assert.Equal(Enumerable.Range(0, names.Count), split.Train.Concat(split.Test).Order());
            Assert.Equal(trainGroups.Count, split.TrainGroups);
            Assert.Equal(testGroups.Count, split.TestGroups);
        }
    }

    [Fact]
    public void Split_is_stratified_deterministic_and_close_to_the_fraction()
    {
        var names = Enumerable.Range(0, 100).Select(i => $"img{i}.png").ToArray();
        var labels = Enumerable.Range(0, 100).Select(i => i < 60 ? 0 : 1).ToArray();

        var a = SourceGroupSplit.Split(names, labels, FolderDataSpec.DefaultGroupPattern, 0.2);
        var b = SourceGroupSplit.Split(names, labels, FolderDataSpec.DefaultGroupPattern, 0.2);
        var other = SourceGroupSplit.Split(names, labels, FolderDataSpec.DefaultGroupPattern, 0.2, seed: 1);

        Assert.Equal(a.Test, b.Test);
        Assert.NotEqual(a.Test, other.Test);
        Assert.Equal(12, a.Test.Count(i => labels[i] == 0));
        Assert.Equal(8, a.Test.Count(i => labels[i] == 1));
    }

    private static string Source(string name) =>
        SourceGroupSplit.SourceOf(name, new System.Text.RegularExpressions.Regex(FolderDataSpec.DefaultGroupPattern));
}
