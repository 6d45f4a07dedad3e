using Harness.Native;
using Harness.Tracking;

namespace Harness.Tests.Native;

public sealed class OpenMpWaitPolicyTests
{
    [Fact]
    public void Threads_wait_passively_unless_the_user_chose_otherwise()
    {
        Assert.Equal(("PASSIVE", "PASSIVE (harness default)"), OpenMpWaitPolicy.Plan(null, null));
        Assert.Equal((null, "ACTIVE (OMP_WAIT_POLICY from the environment)"), OpenMpWaitPolicy.Plan(null, "active"));
        Assert.Equal((null, "ACTIVE (OMP_WAIT_POLICY from the environment)"), OpenMpWaitPolicy.Plan("passive", "active"));
        var (set, description) = OpenMpWaitPolicy.Plan("openmp", null);
        Assert.Null(set);
        Assert.Contains("HARNESS_OMP_WAIT_POLICY=openmp", description);
    }

    [Fact]
    public void An_unknown_setting_is_an_error_that_names_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => OpenMpWaitPolicy.Plan("spin", null));
        Assert.Contains("HARNESS_OMP_WAIT_POLICY='spin'", error.Message);
        Assert.Contains("'passive'", error.Message);
        Assert.Contains("'openmp'", error.Message);
    }

    [Fact]
    public void Run_yaml_records_the_wait_policy_the_run_trained_with()
    {
        using var tiny = new TinyExperiment();
        var run = tiny.Plan("seeds=1", "epochs=1")[0];
        tiny.Run([run]);

        var record = RunRecordYaml.Read(tiny.Layout().RunYaml(run.RunId));
        Assert.Equal(OpenMpWaitPolicy.Ensure(), record.Versions["omp_wait_policy"]);
        Assert.Equal(TorchRuntime.Versions()["omp_wait_policy"], record.Versions["omp_wait_policy"]);
    }
}
