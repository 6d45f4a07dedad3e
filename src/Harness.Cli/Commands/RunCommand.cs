using System.CommandLine;
using System.Runtime.InteropServices;
using Harness.Execution;
using Harness.Specs;
using Harness.Tracking;
using Harness.Tracking.Mlflow;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary><c>harness run SPEC</c>: trains every planned run that is not finished yet.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var spec = CommonOptions.Spec();
        var set = CommonOptions.Set();
        var results = CommonOptions.Results();
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Train failed runs again" };
        var workers = new Option<int>("--workers") { Description = "Train this many runs at once, each in its own process (each with the spec's thread count)", DefaultValueFactory = _ => 1 };
        var devices = new Option<string?>("--devices") { Description = "GPUs for the workers, e.g. 0,1 (one worker per GPU, pinned with CUDA_VISIBLE_DEVICES)" };
        var maxRuns = new Option<int?>("--max-runs") { Description = "Claim and train at most this many unfinished runs, then exit (one cluster task's share)" };
        var seedParallel = new Option<int?>("--seed-parallel")
        {
            Description = "Train up to K seeds of one condition as one fused model (default: the spec's seed_parallel; 1 = off)",
        };
        var command = new Command("run", "Train an experiment's runs (finished runs are skipped, interrupted ones resume)")
        {
            spec, set, results, retryFailed, maxRuns, workers, devices, seedParallel,
        };
        command.SetAction(parse => Failures.Guard(() =>
            parse.GetValue(workers) > 1 || parse.GetValue(devices) is not null
                ? ExecuteWorkers(parse.GetValue(spec)!, parse.GetValue(set) ?? [], parse.GetValue(results)!, parse.GetValue(retryFailed),
                    parse.GetValue(workers), parse.GetValue(devices), parse.GetValue(seedParallel))
                : Execute(
            parse.GetValue(spec)!, parse.GetValue(set) ?? [], parse.GetValue(results)!, parse.GetValue(retryFailed), parse.GetValue(maxRuns), parse.GetValue(seedParallel))));
        return command;
    }

    /// <summary>The command line's counts, bounded like the spec's (see <see cref="SpecLimits"/>).</summary>
    private static void CheckCounts(int workers, int? seedParallel)
    {
        if (workers is < 1 or > SpecLimits.Workers) throw new ArgumentException($"--workers must be between 1 and {SpecLimits.Workers:N0}, got {workers}");
        if (seedParallel is < 1 or > SpecLimits.SeedParallel) throw new ArgumentException($"--seed-parallel must be between 1 and {SpecLimits.SeedParallel:N0}, got {seedParallel}");
    }

    private static int ExecuteWorkers(FileInfo specFile, string[] overrides, DirectoryInfo resultsRoot, bool retryFailed, int workers, string? devices, int? seedParallel)
    {
        CheckCounts(workers, seedParallel);
        var experiment = SpecLoader.Load(specFile.FullName, overrides);
        var runs = ExperimentPlanner.Plan(experiment);
        var layout = ResultsLayout.For(resultsRoot.FullName, experiment.Name);
        Directory.CreateDirectory(layout.ExperimentDirectory);
        PlanFile.Write(layout, runs);
        var gpus = devices is null ? [] : devices.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int count = gpus.Length > 0 ? Math.Max(workers, gpus.Length) : workers;
        List<string> arguments = [typeof(RunCommand).Assembly.Location, "run", specFile.FullName, "--results", resultsRoot.FullName];
        foreach (var o in overrides) arguments.AddRange(["--set", o]);
        if (retryFailed) arguments.Add("--retry-failed");
        if (seedParallel is { } k) arguments.AddRange(["--seed-parallel", k.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        AnsiConsole.MarkupLine(Markup.Escape($"{experiment.Name}: {runs.Count} run(s) planned, {count} worker process(es){(gpus.Length > 0 ? $" on GPU(s) {string.Join(",", gpus)}" : "")}"));

        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        var gate = new object();
        int code = new LocalWorkerPool(Environment.ProcessPath ?? "dotnet", arguments).Run(count, gpus, line => { lock (gate) Console.WriteLine(line); }, stop.Token);
        ExperimentMetrics.WriteUnion(layout);
        foreach (var row in SweepStatus.Read(layout))
            AnsiConsole.MarkupLine(Markup.Escape($"{row.Condition}: {row.Finished} finished, {row.Failed} failed, {row.Interrupted} interrupted, {row.Pending + row.Running} not done"));
        int failed = ReportFailed(layout, runs, specFile, overrides);
        return code != 0 ? code : failed > 0 ? Failures.RunsFailed : 0;
    }

    private static int Execute(FileInfo specFile, string[] overrides, DirectoryInfo resultsRoot, bool retryFailed, int? maxRuns, int? seedParallel)
    {
        CheckCounts(1, seedParallel);
        var datasets = new DatasetCache(specFile.DirectoryName!); // reads HARNESS_CACHE_*: a bad value stops here, before any output
        var experiment = SpecLoader.Load(specFile.FullName, overrides);
        var runs = ExperimentPlanner.Plan(experiment);
        var layout = ResultsLayout.For(resultsRoot.FullName, experiment.Name);
        Directory.CreateDirectory(layout.ExperimentDirectory);
        AtomicFile.RemoveStale(layout.ExperimentDirectory); // left by writers that were killed or ran out of disk
        ExperimentSnapshot.Write(layout, experiment, File.ReadAllText(specFile.FullName), overrides);
        PlanFile.Write(layout, runs);
        Failures.WarnDamaged(layout, runs.Select(r => r.RunId));

        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        AnsiConsole.MarkupLine(Markup.Escape($"{experiment.Name}: {runs.Count} run(s) planned → {layout.ExperimentDirectory}"));
        using var console = new ConsoleProgress();
        // Mirrors (MLflow, ...) never block or fail training; `harness sync` replays whatever MLflow missed.
        var mirrors = Mirrors.Open(new MirrorContext(experiment, layout, line => AnsiConsole.MarkupLine(Markup.Escape(line)), Console.Error.WriteLine));
        if ((seedParallel ?? experiment.SeedParallel) > 1) Harness.Native.CpuAllocator.KeepFreedMemory(); // process-wide, so decided here, before training
        try
        {
            var executor = new RunExecutor(layout, datasets, [console, .. mirrors], Console.Error.WriteLine);
            var result = console.Show(() => executor.Run(runs, new ExecutorOptions(retryFailed, MaxRuns: maxRuns, SeedParallel: seedParallel ?? experiment.SeedParallel), console, stop.Token));
            // Runs that failed in an earlier sweep are skipped, not done: count and name them every time.
            int failedBefore = retryFailed ? 0 : runs.Count(r => RunStatusFile.TryRead(layout.RunStatusJson(r.RunId))?.State == RunState.Failed) - result.Failed;
            AnsiConsole.MarkupLine(Markup.Escape(
                $"{result.Finished} trained, {result.Skipped - failedBefore} already done or skipped, {result.Failed} failed" +
                (failedBefore > 0 ? $", {failedBefore} failed earlier (not retried)" : "") +
                $", {result.Interrupted} interrupted (of {result.Planned})."));
            int failed = ReportFailed(layout, runs, specFile, overrides);
            return result.Interrupted > 0 ? 130 : failed > 0 ? Failures.RunsFailed : 0;
        }
        finally
        {
            foreach (var mirror in mirrors) mirror.Dispose();
        }
    }

    /// <summary>Names every planned run that is failed now (in this sweep or an earlier one) with its reason, and how to retry; returns how many.</summary>
    private static int ReportFailed(ResultsLayout layout, IReadOnlyList<RunSpec> runs, FileInfo specFile, IReadOnlyList<string> overrides)
    {
        var failed = runs.Select(r => (Run: r, Status: RunStatusFile.TryRead(layout.RunStatusJson(r.RunId))))
            .Where(x => x.Status?.State == RunState.Failed).ToArray();
        foreach (var (run, status) in failed)
            Console.Error.WriteLine($"failed: {run.DisplayName} [{run.RunId}]: {status!.Reason ?? "no reason recorded"}");
        if (failed.Length > 0)
        {
            string set = string.Concat(overrides.Select(o => $" --set {o}"));
            Console.Error.WriteLine($"{failed.Length} run(s) failed (trace in runs/RUN_ID/log.txt). Fix the cause, then train them again: " +
                                    $"harness run {specFile}{set} --retry-failed");
        }
        return failed.Length;
    }
}
