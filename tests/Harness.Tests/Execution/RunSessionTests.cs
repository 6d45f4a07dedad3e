using Harness.Execution;
using Harness.Specs;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Tests.Execution;

public sealed class RunSessionTests
{
    [Fact]
    public void A_fused_sweep_leaves_every_file_a_standalone_sweep_leaves()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("seeds=3");
        var alone = tiny.Run(runs, "alone");
        Assert.Equal((6, 0), (alone.Finished, alone.Failed));
        var fused = new RunExecutor(tiny.Layout("fused"), new DatasetCache(tiny.Directory), []).Run(runs, new ExecutorOptions(SeedParallel: 3));
        Assert.Equal((6, 0), (fused.Finished, fused.Failed));
        foreach (var run in runs)
        {
            string standalone = tiny.Layout("alone").RunDirectory(run.RunId), together = tiny.Layout("fused").RunDirectory(run.RunId);
            var files = RunFolderComparison.AssertSameFiles(standalone, together);
            // The figures' inputs are there: the prediction panel (F5) and the attribution maps (F6).
            Assert.Contains("panel.csv", files);
            Assert.Contains("attribution.csv", files);
            Assert.Contains(files, f => f.StartsWith("attribution/", StringComparison.Ordinal) && f.EndsWith(".png", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_sink_that_throws_is_switched_off_for_its_run_and_training_goes_on()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("seeds=1");
        var warnings = new List<string>();
        var broken = new ThrowingSink(failAtEpoch: 1);
        var result = new RunExecutor(tiny.Layout(), new DatasetCache(tiny.Directory), [broken], warnings.Add).Run(runs, new ExecutorOptions());
        Assert.Equal((2, 0), (result.Finished, result.Failed));
        // One warning per run, naming the sink, the moment and the run; no call after the failure.
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("ThrowingSink failed at epoch 1", w));
        Assert.Contains(runs[0].RunId, warnings[0]);
        Assert.Equal(0, broken.CallsAfterFailure);
        // Each run started with the sink switched on again: it saw both starts.
        Assert.Equal(2, broken.Starts);
        foreach (var run in runs)
        {
            Assert.Equal(RunState.Finished, RunStatusFile.TryRead(tiny.Layout().RunStatusJson(run.RunId))!.State);
            Assert.Equal(2, TidyCsv.Read(tiny.Layout().RunMetricsCsv(run.RunId)).Rows.Count);
            Assert.Contains("ThrowingSink failed at epoch 1", File.ReadAllText(tiny.Layout().RunLog(run.RunId))); // the run's log keeps it too
        }
    }

    [Fact]
    public void Status_json_has_one_writer_the_run_store()
    {
        string source = Path.Combine(RepoPaths.Root, "src");
        var writers = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("RunStatusFile.Write(", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(source, f).Replace('\\', '/'))
            .ToArray();
        Assert.Equal(["Harness/Execution/RunStore.cs"], writers);
    }

    private sealed class ThrowingSink(int failAtEpoch) : IMetricSink
    {
        private readonly HashSet<string> failed = [];
        public int Starts { get; private set; }
        public int CallsAfterFailure { get; private set; }

        public void RunStarted(RunRecord run) => Starts++;

        public void EpochCompleted(RunRecord run, EpochMetrics metrics)
        {
            if (failed.Contains(run.Spec.RunId)) CallsAfterFailure++;
            if (metrics.Epoch != failAtEpoch) return;
            failed.Add(run.Spec.RunId);
            throw new IOException("backend gone");
        }

        public void RunEnded(RunRecord run, RunOutcome outcome)
        {
            if (failed.Contains(run.Spec.RunId)) CallsAfterFailure++;
        }

        public void Dispose() { }
    }
}
