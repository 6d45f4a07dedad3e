using Harness.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// Checkpoints of a fused group, kept per member in the standalone format (<see cref="Checkpoint"/>): each member's
/// weights and optimizer state are copied out into a standalone network and optimizer and saved into its own run's
/// checkpoint folder, so a member can resume alone, and a group resumes from its members' checkpoints when they
/// all stopped after the same epoch.
/// </summary>
public static class FusedCheckpoint
{
    /// <summary>
    /// Saves members <paramref name="members"/> after <paramref name="epoch"/>, each into its folder of
    /// <paramref name="directories"/> (indexed by member), through <paramref name="scratch"/> and
    /// <paramref name="scratchOptimizer"/>, a standalone network of the same architecture and its optimizer.
    /// </summary>
    public static void Save(IReadOnlyList<string> directories, IEnumerable<int> members, int epoch, FusedEnsemble fused,
        optim.Optimizer fusedOptimizer, SequentialNetwork scratch, optim.Optimizer scratchOptimizer)
    {
        var parameters = scratch.parameters().ToArray();
        foreach (int k in members)
        {
            fused.StoreMember(k, scratch);
            FusedOptimizerState.CopyOut(fused, fusedOptimizer, k, scratchOptimizer, parameters);
            Checkpoint.Save(directories[k], epoch, scratch, scratchOptimizer);
        }
    }

    /// <summary>
    /// Loads every member's checkpoint into the fused model and optimizer; returns their common last epoch (0 when
    /// none has one). Members that stopped after different epochs cannot be fused: that throws.
    /// </summary>
    public static int Restore(IReadOnlyList<string> directories, FusedEnsemble fused, optim.Optimizer fusedOptimizer,
        SequentialNetwork scratch, optim.Optimizer scratchOptimizer)
    {
        var epochs = directories.Select(Checkpoint.CompletedEpoch).Distinct().ToArray();
        if (epochs.Length > 1)
            throw new InvalidOperationException($"members stopped after different epochs ({string.Join(", ", epochs)}); they cannot resume fused");
        if (epochs[0] == 0) return 0;
        for (int k = 0; k < directories.Count; k++)
        {
            Checkpoint.TryRestore(directories[k], scratch, scratchOptimizer);
            fused.LoadMember(k, scratch);
            FusedOptimizerState.CopyIn(fused, fusedOptimizer, k, scratchOptimizer);
        }
        return epochs[0];
    }
}
