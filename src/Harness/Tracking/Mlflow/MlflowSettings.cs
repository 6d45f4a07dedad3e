using System.Collections;
using Harness.Specs;

namespace Harness.Tracking.Mlflow;

/// <summary>
/// Where and how to reach MLflow, frozen once: the server, the MLflow experiment, credentials, and the
/// timeouts and retry policy. <see cref="ToString"/> never shows a secret.
/// </summary>
/// <param name="TrackingUri">Server root, e.g. <c>http://127.0.0.1:5000</c> (http or https).</param>
/// <param name="ExperimentName">MLflow experiment that receives the runs.</param>
public sealed record MlflowSettings(Uri TrackingUri, string ExperimentName)
{
    /// <summary>Bearer token (<c>MLFLOW_TRACKING_TOKEN</c>); wins over basic credentials.</summary>
    public string? Token { get; init; }
    /// <summary>Basic-auth user (<c>MLFLOW_TRACKING_USERNAME</c>).</summary>
    public string? Username { get; init; }
    /// <summary>Basic-auth password (<c>MLFLOW_TRACKING_PASSWORD</c>).</summary>
    public string? Password { get; init; }
    /// <summary>Limit for one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Tries per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;
    /// <summary>Wait before the first retry; doubled for each further one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Longest wait between tries.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(8);
    /// <summary>Seed of the backoff jitter (runs stay reproducible, retries do not synchronise across clients with different seeds).</summary>
    public int RetrySeed { get; init; }
    /// <summary>How long disposing the sink may wait for unsent data before giving up (sync sends it later).</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>After the server fails, how long the sink waits before it tries again.</summary>
    public TimeSpan OutageCooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Environment variable naming the server.</summary>
    public const string UriVariable = "MLFLOW_TRACKING_URI";
    /// <summary>Environment variable overriding the experiment name.</summary>
    public const string ExperimentVariable = "MLFLOW_EXPERIMENT_NAME";
    /// <summary>Environment variable holding a bearer token.</summary>
    public const string TokenVariable = "MLFLOW_TRACKING_TOKEN";
    /// <summary>Environment variable holding the basic-auth user.</summary>
    public const string UsernameVariable = "MLFLOW_TRACKING_USERNAME";
    /// <summary>Environment variable holding the basic-auth password.</summary>
    public const string PasswordVariable = "MLFLOW_TRACKING_PASSWORD";

    /// <summary>
    /// The settings for an experiment, or null when MLflow is off. Off means: the spec disables it, or neither the
    /// spec nor <c>MLFLOW_TRACKING_URI</c> names a server. A null <paramref name="spec"/> means "not configured in the
    /// spec": the environment decides. The MLflow experiment is <c>spec.ExperimentName</c>, else
    /// <c>MLFLOW_EXPERIMENT_NAME</c>, else <paramref name="experimentName"/> (the harness experiment).
    /// </summary>
    /// <exception cref="ArgumentException">The URI is not an absolute http(s) URI.</exception>
    public static MlflowSettings? Resolve(MlflowSpec? spec, string experimentName, IDictionary env)
    {
        if (spec is { Enabled: false }) return null;
        string? uri = NonEmpty(spec?.TrackingUri) ?? NonEmpty(env[UriVariable] as string);
        if (uri is null) return null;
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            throw new ArgumentException(
                $"MLflow tracking URI '{Mask(uri)}' is not an http(s) URI: the harness talks to an MLflow server over REST " +
                "(start one with `mlflow server --backend-store-uri sqlite:///mlflow.db`)");
        return new MlflowSettings(parsed, NonEmpty(spec?.ExperimentName) ?? NonEmpty(env[ExperimentVariable] as string) ?? experimentName)
        {
            Token = NonEmpty(env[TokenVariable] as string),
            Username = NonEmpty(env[UsernameVariable] as string),
            Password = env[PasswordVariable] as string,
        };
    }

    /// <summary>
    /// The settings for replaying a results folder: the command line's <paramref name="uriFlag"/> and
    /// <paramref name="nameFlag"/> override the spec's <c>tracking.mlflow</c> block, which overrides the environment,
    /// exactly as <c>harness run</c> resolves them, so a sync lands in the MLflow experiment the live mirror used. Null
    /// when nothing names a server, or when the spec turns MLflow off and no URI is given on the command line.
    /// </summary>
    /// <exception cref="ArgumentException">The URI is not an absolute http(s) URI.</exception>
    public static MlflowSettings? ForSync(MlflowSpec? spec, string experimentName, string? uriFlag, string? nameFlag, IDictionary env)
    {
        if (spec is { Enabled: false } && NonEmpty(uriFlag) is null) return null;
        return Resolve(new MlflowSpec(true, NonEmpty(uriFlag) ?? spec?.TrackingUri, NonEmpty(nameFlag) ?? spec?.ExperimentName), experimentName, env);
    }

    /// <summary>As <see cref="Resolve(MlflowSpec?, string, IDictionary)"/> with the process environment.</summary>
    public static MlflowSettings? Resolve(MlflowSpec? spec, string experimentName) =>
        Resolve(spec, experimentName, Environment.GetEnvironmentVariables());

    /// <summary>The server URI with any user-info (credentials) replaced by <c>***</c>.</summary>
    public string SafeUri => Mask(TrackingUri.ToString());

    /// <summary>Settings for display and logs: secrets are masked.</summary>
    public override string ToString() =>
        $"MlflowSettings {{ TrackingUri = {SafeUri}, ExperimentName = {ExperimentName}, " +
        $"Auth = {(Token is not null ? "bearer ***" : Username is not null ? $"basic {Username}:***" : "none")}, " +
        $"RequestTimeout = {RequestTimeout}, MaxAttempts = {MaxAttempts}, InitialBackoff = {InitialBackoff}, MaxBackoff = {MaxBackoff}, " +
        $"FlushTimeout = {FlushTimeout}, OutageCooldown = {OutageCooldown} }}";

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string Mask(string uri)
    {
        int scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return uri;
        int start = scheme + 3;
        int end = uri.IndexOfAny(['/', '?', '#'], start);
        string authority = end < 0 ? uri[start..] : uri[start..end];
        int at = authority.LastIndexOf('@');
        return at < 0 ? uri : uri[..start] + "***@" + uri[(start + at + 1)..];
    }
}
