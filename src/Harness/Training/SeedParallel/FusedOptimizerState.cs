using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// Moves one member's optimizer state between the fused optimizer and a standalone one. Both optimizers keep one
/// state per parameter in the same order (<see cref="FusedEnsemble.OrderedParameters"/>); Adam's moments and
/// SGD's momentum buffer are elementwise, so member k's state is the slice k of the fused state.
/// </summary>
internal static class FusedOptimizerState
{
    public static void CopyIn(FusedEnsemble fused, optim.Optimizer fusedOptimizer, int member, optim.Optimizer standalone)
    {
        using var _ = torch.no_grad();
        var (target, source) = States(fusedOptimizer, standalone);
        for (int i = 0; i < target.Count; i++)
        {
            switch (target[i], source[i])
            {
                case (Adam.State t, Adam.State s):
                    t.step = s.step;
                    fused.Slice(t.exp_avg, member, s.exp_avg).copy_(s.exp_avg);
                    fused.Slice(t.exp_avg_sq, member, s.exp_avg_sq).copy_(s.exp_avg_sq);
                    break;
                case (SGD.State t, SGD.State s):
                    if (s.momentum_buffer is null) break;
                    t.momentum_buffer ??= torch.zeros_like(fused.OrderedParameters[i]).DetachFromDisposeScope();
                    fused.Slice(t.momentum_buffer, member, s.momentum_buffer).copy_(s.momentum_buffer);
                    break;
                default:
                    throw new NotSupportedException($"optimizer state {target[i].GetType().Name} cannot be split per member");
            }
        }
    }

    public static void CopyOut(FusedEnsemble fused, optim.Optimizer fusedOptimizer, int member, optim.Optimizer standalone, IReadOnlyList<Parameter> standaloneParameters)
    {
        using var _ = torch.no_grad();
        var (source, target) = States(fusedOptimizer, standalone);
        for (int i = 0; i < target.Count; i++)
        {
            switch (source[i], target[i])
            {
                case (Adam.State s, Adam.State t):
                    t.step = s.step;
                    t.exp_avg.copy_(fused.Slice(s.exp_avg, member, t.exp_avg));
                    t.exp_avg_sq.copy_(fused.Slice(s.exp_avg_sq, member, t.exp_avg_sq));
                    break;
                case (SGD.State s, SGD.State t):
                    if (s.momentum_buffer is null)
                    {
                        t.momentum_buffer?.Dispose();
                        t.momentum_buffer = null!;
                        break;
                    }
                    t.momentum_buffer ??= torch.zeros_like(standaloneParameters[i]).DetachFromDisposeScope();
                    t.momentum_buffer.copy_(fused.Slice(s.momentum_buffer, member, t.momentum_buffer));
                    break;
                default:
                    throw new NotSupportedException($"optimizer state {source[i].GetType().Name} cannot be split per member");
            }
        }
        foreach (var group in standalone.ParamGroups) group.LearningRate = fusedOptimizer.ParamGroups.First().LearningRate;
    }

    private static (List<OptimizerState> Fused, List<OptimizerState> Standalone) States(optim.Optimizer fused, optim.Optimizer standalone)
    {
        var a = ((OptimizerHelper)fused).state_dict().State;
        var b = ((OptimizerHelper)standalone).state_dict().State;
        if (a.Count != b.Count) throw new InvalidOperationException($"the fused optimizer has {a.Count} states, a member's {b.Count}");
        return (a, b);
    }
}
