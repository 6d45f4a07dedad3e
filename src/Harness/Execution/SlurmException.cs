namespace Harness.Execution;

/// <summary>Slurm refused or failed a request; the message says what was asked and what Slurm answered.</summary>
public sealed class SlurmException : Exception
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public SlurmException(string message) : base(message) { }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public SlurmException(string message, Exception inner) : base(message, inner) { }
}
