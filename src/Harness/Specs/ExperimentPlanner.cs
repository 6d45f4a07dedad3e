namespace Harness.Specs;

/// <summary>Expands an experiment into its runs: conditions x grid points x seeds, each fully resolved and identified.</summary>
public static class ExperimentPlanner
{
    /// <summary>The runs of <paramref name="spec"/>, conditions outermost, seeds innermost.</summary>
    public static IReadOnlyList<RunSpec> Plan(ExperimentSpec spec)
    {
        var runs = new List<RunSpec>();
        foreach (var own in spec.Conditions)
            foreach (var point in GridPoints(spec.Grid))
            {
                // Precedence: top level, grid point, condition. The loader refuses a grid over a key a condition
                // sets, so the two touch different values and the condition's (merged with the top level by the
                // loader) can be laid down first. Grid values are applied with the condition as the only one, so
                // a grid over data.* reaches it.
                var baseline = (own.Overrides?.ApplyTo(spec) ?? spec) with { Conditions = [own] };
                var variant = point.Aggregate(baseline, (s, kv) => GridPoint.Apply(s, kv.Key, kv.Value));
                var condition = variant.Conditions[0];
                var optimizer = variant.Optimizer with
                {
                    Epsilon = variant.Optimizer.Name == "adam" ? variant.Optimizer.Epsilon ?? (variant.Init == InitScheme.Keras ? 1e-7 : 1e-8) : null,
                };
                foreach (int seed in spec.Seeds.Values)
                {
                    var run = new RunSpec(spec.Name, condition.Name, condition.Data, condition.Control, variant.Architecture, variant.Image,
                        variant.Epochs, variant.BatchSize, optimizer, variant.Init, variant.Device, variant.Threads, seed,
                        new SortedDictionary<string, string>(point.ToDictionary(), StringComparer.Ordinal), "");
                    runs.Add(run with { RunId = RunIds.Of(run) });
                }
            }
        return runs;
    }

    private static IEnumerable<IReadOnlyDictionary<string, string>> GridPoints(IReadOnlyList<GridAxis> grid)
    {
        IEnumerable<Dictionary<string, string>> points = [new Dictionary<string, string>(StringComparer.Ordinal)];
        foreach (var axis in grid)
            points = points.SelectMany(p => axis.Values.Select(v => new Dictionary<string, string>(p, StringComparer.Ordinal) { [axis.KeyPath] = v })).ToArray();
        return points;
    }
}
