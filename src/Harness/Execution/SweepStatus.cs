using Harness.Tracking;

namespace Harness.Execution;

/// <summary>Reads a sweep's state from its files: the plan, each run's status.json, and the run claims.</summary>
public static class SweepStatus
{
    /// <summary>One row per condition (in plan order), counting every planned run once.</summary>
    public static IReadOnlyList<ConditionStatus> Read(ResultsLayout layout)
    {
        var planned = PlanFile.Read(layout).ToList();
        var known = planned.Select(p => p.RunId).ToHashSet(StringComparer.Ordinal);
        foreach (var id in layout.RunIds())
            if (!known.Contains(id) && File.Exists(layout.RunYaml(id)))
                planned.Add((id, RunRecordYaml.Read(layout.RunYaml(id)).Spec.Condition));

        var rows = new List<ConditionStatus>();
        foreach (var group in planned.GroupBy(p => p.Condition))
        {
            int finished = 0, running = 0, failed = 0, interrupted = 0, pending = 0;
            var failures = new List<(string, string)>();
            foreach (var (id, _) in group)
            {
                var status = RunStatusFile.TryRead(layout.RunStatusJson(id));
                string lockPath = RunLock.PathIn(layout.RunDirectory(id));
                bool claimed = File.Exists(lockPath) && !RunLock.IsStale(lockPath);
                switch (status?.State)
                {
                    case RunState.Finished when RunFileCheck.Damage(layout, id) is not null: interrupted++; break;
                    case RunState.Finished: finished++; break;
                    case RunState.Failed: failed++; failures.Add((id, status.Reason ?? "unknown")); break;
                    case RunState.Running when claimed: running++; break;
                    case RunState.Running or RunState.Interrupted: interrupted++; break;
                    default: if (claimed) running++; else pending++; break;
                }
            }
            rows.Add(new ConditionStatus(group.Key, finished, running, failed, interrupted, pending, failures));
        }
        return rows;
    }
}
