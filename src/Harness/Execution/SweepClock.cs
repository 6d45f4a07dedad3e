using System.Diagnostics;
using Harness.Specs;

namespace Harness.Execution;

/// <summary>
/// Estimates the time left from the batches done so far in this sweep, counted per run: a fused batch of K
/// seeds is K runs' batches, and the group's other members are not counted again as later runs.
/// </summary>
internal sealed class SweepClock(IReadOnlyList<RunSpec> runs)
{
    private readonly Stopwatch clock = new();
    private long batchesDone, batchesInRun, batchesPerEpoch;
    private int members = 1;

    public void StartRun(int perEpoch, int epochsLeft, int fusedMembers)
    {
        batchesPerEpoch = perEpoch;
        members = fusedMembers;
        batchesInRun = (long)perEpoch * epochsLeft * fusedMembers;
        clock.Start();
    }

    public void Batch() { batchesDone += members; batchesInRun -= members; }

    public TimeSpan? Remaining(int runIndex)
    {
        if (batchesDone < 3 * members) return null;
        double perBatch = clock.Elapsed.TotalSeconds / batchesDone;
        long later = runs.Skip(runIndex + members).Sum(r => (long)r.Epochs * batchesPerEpoch);
        return TimeSpan.FromSeconds(perBatch * (batchesInRun + later));
    }
}
