using Harness.Training;

namespace Harness.Tests.Training;

public sealed class TrainingOutcomeRulesTests
{
    private static (int, double, double)[] Epochs(params double[] trainAccuracy) =>
        trainAccuracy.Select((a, i) => (i + 1, a, 1.0)).ToArray();

    [Fact]
    public void A_run_that_never_leaves_chance_is_stuck()
    {
        var verdict = TrainingOutcomeRules.Judge(Epochs(0.5, 0.5, 0.52, 0.55), 0.5)!;
        Assert.Equal(TrainingOutcome.StuckAtChance, verdict.Outcome);
        Assert.Equal("stuck_at_chance", verdict.Label);
        Assert.Null(verdict.CollapseEpoch);
    }

    [Fact]
    public void A_stuck_run_that_fits_in_training_mode_says_so_and_stays_stuck()
    {
        var fitsInTraining = TrainingOutcomeRules.Judge(Epochs(0.5, 0.55, 0.55), 0.5, peakRunningAccuracy: 0.98)!;
        Assert.Equal(TrainingOutcome.StuckAtChance, fitsInTraining.Outcome);
        Assert.Contains("running accuracy over the training batches reached 0.980", fitsInTraining.Why);
        Assert.Contains("fits only in training mode", fitsInTraining.Why);
        Assert.DoesNotContain("training mode", TrainingOutcomeRules.Judge(Epochs(0.5, 0.55, 0.55), 0.5, peakRunningAccuracy: 0.7)!.Why);
        Assert.DoesNotContain("training mode", TrainingOutcomeRules.Judge(Epochs(0.5, 0.55, 0.55), 0.5)!.Why);
    }

    [Fact]
    public void Just_above_chance_plus_five_points_counts_as_learned()
    {
        Assert.Equal(TrainingOutcome.Learned, TrainingOutcomeRules.Judge(Epochs(0.5, 0.56), 0.5)!.Outcome);
    }

    [Fact]
    public void A_run_that_reaches_ninety_percent_and_falls_back_to_chance_collapsed_at_that_epoch()
    {
        var verdict = TrainingOutcomeRules.Judge(Epochs(0.7, 0.95, 1.0, 1.0, 0.58, 0.5), 0.5)!;
        Assert.Equal(TrainingOutcome.Collapsed, verdict.Outcome);
        Assert.Equal(5, verdict.CollapseEpoch);
        Assert.Equal(1.0, verdict.PeakTrainAccuracy);
        Assert.Contains("epoch 5", verdict.Why);
    }

    [Fact]
    public void A_collapsed_run_says_whether_it_recovered_by_the_last_epoch()
    {
        var recovered = TrainingOutcomeRules.Judge(Epochs(0.91, 0.545, 0.66, 0.95, 1.0), 0.5)!;
        Assert.Equal(TrainingOutcome.Collapsed, recovered.Outcome);
        Assert.Equal(2, recovered.CollapseEpoch);
        Assert.EndsWith("; it recovered: 1.000 at epoch 5, the last", recovered.Why);

        var partly = TrainingOutcomeRules.Judge(Epochs(0.95, 0.5, 0.7), 0.5)!;
        Assert.EndsWith("; 0.700 at epoch 3, the last (chance 0.500)", partly.Why);
        Assert.DoesNotContain(TrainingOutcomeRules.RecoveredWords, partly.Why);

        var atTheEnd = TrainingOutcomeRules.Judge(Epochs(0.95, 1.0, 0.5), 0.5)!;
        Assert.EndsWith("fell to 0.500 at epoch 3 (chance 0.500)", atTheEnd.Why);
    }

    [Fact]
    public void A_dip_that_stays_above_chance_plus_ten_points_is_no_collapse()
    {
        Assert.Equal(TrainingOutcome.Learned, TrainingOutcomeRules.Judge(Epochs(0.95, 0.61, 0.97), 0.5)!.Outcome);
    }

    [Fact]
    public void A_run_that_falls_without_ever_reaching_ninety_percent_is_not_called_collapsed()
    {
        Assert.Equal(TrainingOutcome.Learned, TrainingOutcomeRules.Judge(Epochs(0.85, 0.5), 0.5)!.Outcome);
    }

    [Fact]
    public void Constant_outputs_at_the_last_epoch_mean_stuck_even_above_chance()
    {
        // An unbalanced set: chance is 0.7, and constant outputs give exactly that.
        var epochs = new[] { (1, 0.8, 0.3), (2, 0.76, 0.0) };
        var verdict = TrainingOutcomeRules.Judge(epochs, 0.7)!;
        Assert.Equal(TrainingOutcome.StuckAtChance, verdict.Outcome);
        Assert.Contains("constant", verdict.Why);
    }

    [Fact]
    public void Chance_is_the_share_of_the_most_frequent_class()
    {
        Assert.Equal(0.5, TrainingOutcomeRules.ChanceAccuracy([0, 1, 0, 1]));
        Assert.Equal(0.75, TrainingOutcomeRules.ChanceAccuracy([2, 2, 2, 0]));
    }

    [Fact]
    public void Labels_round_trip()
    {
        foreach (var outcome in Enum.GetValues<TrainingOutcome>())
            Assert.Equal(outcome, TrainingOutcomeRules.Parse(TrainingOutcomeRules.Label(outcome)));
        Assert.Null(TrainingOutcomeRules.Parse("great"));
    }
}
