using System.Net;

namespace Harness.Tracking.Mlflow;

/// <summary>
/// A failed MLflow request: the server's <c>error_code</c> and message when it sent JSON, the HTTP status, and
/// whether it is safe to try again (<see cref="Kind"/>). Messages never contain credentials.
/// </summary>
public sealed class MlflowException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MlflowException(MlflowFailureKind kind, string message, HttpStatusCode? status = null, string? errorCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>Whether the request may be sent again.</summary>
    public MlflowFailureKind Kind { get; }

    /// <summary>HTTP status, when the server answered.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>MLflow's <c>error_code</c> (e.g. <c>RESOURCE_ALREADY_EXISTS</c>), when the body was MLflow's error JSON.</summary>
    public string? ErrorCode { get; }

    /// <summary>Whether the server is (for now) unreachable or failing, as opposed to rejecting this request.</summary>
    public bool IsTransient => Kind is MlflowFailureKind.NotSent or MlflowFailureKind.Ambiguous;

    /// <summary>Whether the URL is not an MLflow tracking server at all (no request to it can succeed).</summary>
    public bool IsNotMlflowServer => Kind == MlflowFailureKind.NotMlflowServer;
}
