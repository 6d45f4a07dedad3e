namespace Harness.Reporting;

/// <summary>One epoch of a Kaplan–Meier curve.</summary>
/// <param name="Time">The epoch.</param>
/// <param name="AtRisk">Runs not yet memorized and still observed just before this epoch.</param>
/// <param name="Events">Runs that memorized at this epoch.</param>
/// <param name="Censored">Runs last observed at this epoch without memorizing.</param>
/// <param name="Survival">Estimated fraction not yet memorized after this epoch.</param>
public sealed record KaplanMeierStep(int Time, int AtRisk, int Events, int Censored, double Survival);
