using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// A run's checkpoint after its last finished epoch: model weights, optimizer state and the epoch number. The
/// data order and dropout noise of later epochs are derived from the seed and the epoch (<see cref="RunSeeds"/>),
/// so nothing else is needed to continue exactly. Written into a new folder and swapped in by renames; the
/// previous checkpoint is kept until the new one is complete.
/// </summary>
public static class Checkpoint
{
    private const string ModelFile = "model.bin", OptimizerFile = "optimizer.bin", EpochFile = "epoch.txt";

    /// <summary>Saves the state after <paramref name="epoch"/> into <paramref name="directory"/>.</summary>
    public static void Save(string directory, int epoch, nn.Module model, optim.Optimizer optimizer)
    {
        string fresh = directory + ".new", previous = directory + ".old";
        if (Directory.Exists(fresh)) Directory.Delete(fresh, recursive: true);
        Directory.CreateDirectory(fresh);
        model.save(Path.Combine(fresh, ModelFile));
        ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(Path.Combine(fresh, OptimizerFile));
        File.WriteAllText(Path.Combine(fresh, EpochFile), epoch.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        if (Directory.Exists(directory)) Directory.Move(directory, previous);
        Directory.Move(fresh, directory);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
    }

    /// <summary>
    /// Restores the latest complete checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>;
    /// returns its epoch, or 0 when there is none.
    /// </summary>
    public static int TryRestore(string directory, nn.Module model, optim.Optimizer optimizer)
    {
        if (Latest(directory) is not { } latest) return 0;
        model.load(Path.Combine(latest.Folder, ModelFile));
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(Path.Combine(latest.Folder, OptimizerFile));
        return latest.Epoch;
    }

    /// <summary>The epoch of the checkpoint <see cref="TryRestore"/> would restore, without loading it (0 = none).</summary>
    public static int CompletedEpoch(string directory) => Latest(directory)?.Epoch ?? 0;

    /// <summary>Deletes a run's checkpoints (after it finished, to save disk).</summary>
    public static void Delete(string directory)
    {
        foreach (var d in new[] { directory, directory + ".new", directory + ".old" })
            if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
    }

    /// <summary>
    /// The latest complete checkpoint and its epoch: the folder itself, or the previous one when a save was cut short
    /// between its renames (the epoch file is written last, so a folder that has one is complete).
    /// </summary>
    private static (string Folder, int Epoch)? Latest(string directory)
    {
        foreach (var candidate in new[] { directory, directory + ".old" })
        {
            string epochPath = Path.Combine(candidate, EpochFile);
            if (File.Exists(epochPath)) return (candidate, int.Parse(File.ReadAllText(epochPath).Trim(), CultureInfo.InvariantCulture));
        }
        return null;
    }
}
