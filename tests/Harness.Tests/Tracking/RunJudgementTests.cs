using Harness.Tests.Data;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Tests.Tracking;

public sealed class RunJudgementTests
{
    [Fact]
    public void A_run_whose_clean_accuracy_stays_at_chance_while_its_batches_fit_is_stuck_and_says_it_fits_in_training_mode_only()
    {
        using var temp = new TempFolder();
        string csv = System.IO.Path.Combine(temp.Path, "metrics.csv");
        File.WriteAllText(csv, """
            epoch,train_accuracy_running,train_accuracy,logit_spread
            1,0.56,0.50,0.3
            2,0.91,0.55,0.4
            3,0.98,0.545,0.5

            """);
        var verdict = RunJudgement.Judge(csv, 0.5)!;
        Assert.Equal(TrainingOutcome.StuckAtChance, verdict.Outcome);
        Assert.Contains("reached 0.980: it fits only in training mode", verdict.Why);

        File.WriteAllText(csv, "epoch,train_accuracy,logit_spread\n1,0.50,0.3\n2,0.52,0.3\n");
        Assert.DoesNotContain("training mode", RunJudgement.Judge(csv, 0.5)!.Why);
    }
}
