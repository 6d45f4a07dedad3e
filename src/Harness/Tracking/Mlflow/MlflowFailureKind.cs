namespace Harness.Tracking.Mlflow;

/// <summary>
/// What a failed MLflow request tells about the server's state, which decides whether it may be sent again.
/// </summary>
public enum MlflowFailureKind
{
    /// <summary>The server answered with a 4xx (other than 429): the request is wrong and sending it again will not help.</summary>
    Rejected,
    /// <summary>The request certainly had no effect (connection refused, 429): safe to send again.</summary>
    NotSent,
    /// <summary>The request may or may not have taken effect (timeout, 5xx, connection dropped): a non-idempotent request must be verified before it is sent again.</summary>
    Ambiguous,
    /// <summary>
    /// The URL answers, but not as MLflow (an HTML page, a proxy, a web server): every request will fail the same way,
    /// so the caller should stop and say so once.
    /// </summary>
    NotMlflowServer,
}
