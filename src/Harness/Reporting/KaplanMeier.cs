namespace Harness.Reporting;

/// <summary>
/// Kaplan–Meier estimate of the fraction of runs that have not yet memorized by each epoch. A run that never
/// reached the memorization threshold is censored at its last observed epoch.
/// </summary>
/// <param name="N">Runs in the estimate.</param>
/// <param name="Events">Runs that memorized.</param>
/// <param name="Steps">One step per epoch at which something happened, in time order.</param>
/// <param name="Median">First epoch at which the estimate is at or below one half; null when it never gets there.</param>
public sealed record KaplanMeier(int N, int Events, IReadOnlyList<KaplanMeierStep> Steps, int? Median)
{
    /// <summary>Estimates from (time, memorized) pairs: time is the memorization epoch, or the last epoch when censored.</summary>
    public static KaplanMeier Estimate(IEnumerable<(int Time, bool Event)> observations)
    {
        var obs = observations.ToArray();
        var steps = new List<KaplanMeierStep>();
        int atRisk = obs.Length;
        double survival = 1;
        int? median = null;
        foreach (var group in obs.GroupBy(o => o.Time).OrderBy(g => g.Key))
        {
            int events = group.Count(o => o.Event), censored = group.Count(o => !o.Event);
            if (atRisk > 0) survival *= 1 - (double)events / atRisk;
            steps.Add(new KaplanMeierStep(group.Key, atRisk, events, censored, survival));
            if (median is null && events > 0 && survival <= 0.5 + 1e-12) median = group.Key;
            atRisk -= events + censored;
        }
        return new KaplanMeier(obs.Length, obs.Count(o => o.Event), steps, median);
    }

    /// <summary>The estimated fraction not yet memorized after <paramref name="time"/>.</summary>
    public double SurvivalAt(int time)
    {
        double s = 1;
        foreach (var step in Steps)
            if (step.Time <= time) s = step.Survival;
        return s;
    }
}
