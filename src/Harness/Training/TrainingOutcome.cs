namespace Harness.Training;

/// <summary>What a finished run's training did, judged from its per-epoch clean training accuracy (see <see cref="TrainingOutcomeRules"/>).</summary>
public enum TrainingOutcome
{
    /// <summary>Training accuracy rose above chance and did not collapse.</summary>
    Learned,
    /// <summary>Training accuracy never left chance, or the outputs were the same for every image: the network never trained.</summary>
    StuckAtChance,
    /// <summary>Training accuracy reached a high level, then fell back to chance (typically: the late ReLU layers died).</summary>
    Collapsed,
}
