using Harness.Models;
using Harness.Training.SeedParallel;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// The networks of one run session: one model (one run) or K runs that differ only by seed, fused into one model.
/// A session drives both through this one surface (restore, train, save, hand out a member for end-of-run
/// artifacts), so a fused sweep leaves the same run folders as one run at a time. It knows no files but the
/// checkpoints it is pointed at, and no sinks.
/// </summary>
public interface ITrainingGroup : IDisposable
{
    /// <summary>Number of runs trained together (1 for a standalone run).</summary>
    int Members { get; }

    /// <summary>How the runs are executed, as run.yaml records it: one model or a fused group (both change float rounding).</summary>
    string ExecutionMode { get; }

    /// <summary>Whether the batches run channels-last.</summary>
    bool ChannelsLast { get; }

    /// <summary>Batches in one training epoch of one member.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>Loads every member's checkpoint from <paramref name="checkpoints"/> (indexed by member); returns their common last epoch (0 when none).</summary>
    int Restore(IReadOnlyList<string> checkpoints);

    /// <summary>
    /// Trains epochs <paramref name="epochsDone"/> + 1 .. <c>Epochs</c>, yielding each epoch's result per member still
    /// training: its metrics or, when its loss became non-finite, its divergence (it is not reported again).
    /// </summary>
    IEnumerable<IReadOnlyList<MemberEpoch>> Train(int epochsDone, Action<BatchProgress>? onBatch, CancellationToken stop);

    /// <summary>Saves members <paramref name="members"/> after <paramref name="epoch"/>, each into its folder of <paramref name="checkpoints"/>.</summary>
    void Save(IReadOnlyList<string> checkpoints, IEnumerable<int> members, int epoch);

    /// <summary>A standalone network holding member <paramref name="member"/>'s current weights (valid until the next call).</summary>
    SequentialNetwork Member(int member);

    /// <summary>The device the group trains on.</summary>
    Device Device { get; }
}
