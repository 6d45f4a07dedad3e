namespace Harness.Reporting;

/// <summary>
/// Which finished runs a statistic is computed over. Both sets are always stated, so a mean never silently mixes
/// runs that never trained (or collapsed) with runs that did.
/// </summary>
public enum RunSet
{
    /// <summary>Every finished run, whatever its training outcome (<c>all</c> in the files).</summary>
    All,
    /// <summary>The finished runs judged <c>learned</c> (<c>learned</c> in the files).</summary>
    Learned,
}
