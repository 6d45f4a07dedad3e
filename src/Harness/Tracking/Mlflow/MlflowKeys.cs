using System.Security.Cryptography;
using System.Text;

namespace Harness.Tracking.Mlflow;

/// <summary>
/// MLflow's request rules, checked before anything is sent: key syntax (letters, digits, <c>_ - . space /</c>, a clean
/// relative path, at most 250 characters, as MLflow 2.x accepts), the per-request batch limits, and value lengths.
/// Values longer than MLflow keeps (param 6000, tag 5000 characters) are never silently cut by the server: the client
/// shortens them itself to a prefix plus the SHA-256 of the whole value, so the stored value is deterministic
/// (params are write-once) and still identifies the original; the full value is in <c>run.yaml</c>.
/// </summary>
public static class MlflowKeys
{
    /// <summary>Longest key.</summary>
    public const int MaxKeyLength = 250;
    /// <summary>Longest param value MLflow stores.</summary>
    public const int MaxParamValueLength = 6000;
    /// <summary>Longest tag value MLflow 2.x stores (3.x: 8000).</summary>
    public const int MaxTagValueLength = 5000;
    /// <summary>Metrics per log-batch request.</summary>
    public const int MaxMetricsPerBatch = 1000;
    /// <summary>Params per log-batch request.</summary>
    public const int MaxParamsPerBatch = 100;
    /// <summary>Tags per log-batch request.</summary>
    public const int MaxTagsPerBatch = 100;
    /// <summary>Metrics, params and tags together per log-batch request.</summary>
    public const int MaxEntitiesPerBatch = 1000;

    /// <summary>Why <paramref name="key"/> would be rejected, or null when it is valid.</summary>
    public static string? Problem(string? key)
    {
        if (string.IsNullOrEmpty(key)) return "a key must not be empty";
        if (key.Length > MaxKeyLength) return $"key '{key[..40]}...' has {key.Length} characters, at most {MaxKeyLength} are allowed";
        foreach (char c in key)
            if (!IsKeyChar(c))
                return $"key '{key}' contains '{c}': only letters, digits, '_', '-', '.', ' ' and '/' are allowed";
        if (key.StartsWith('/') || key.StartsWith("..", StringComparison.Ordinal))
            return $"key '{key}' must be a relative path inside the run";
        foreach (var segment in key.Split('/'))
            if (segment is "" or "." or "..")
                return $"key '{key}' is not a clean relative path (empty, '.' or '..' segment)";
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="key"/> is invalid.</summary>
    public static void Validate(string key)
    {
        var problem = Problem(key);
        if (problem is not null) throw new ArgumentException(problem, nameof(key));
    }

    /// <summary>
    /// A valid key made from any text (used for names that come from specs, e.g. test-set names): invalid characters
    /// become '_', bad path segments are dropped, long keys are cut and suffixed with a hash.
    /// </summary>
    public static string Sanitize(string text)
    {
        if (Problem(text) is null) return text;
        var chars = text.Select(c => IsKeyChar(c) ? c : '_').ToArray();
        var segments = new string(chars).Split('/').Where(s => s is not ("" or "." or "..")).ToArray();
        string key = string.Join("/", segments);
        while (key.StartsWith("..", StringComparison.Ordinal)) key = "_" + key[1..];
        if (key.Length == 0) key = "_";
        if (key.Length > MaxKeyLength) key = key[..(MaxKeyLength - 9)] + "_" + Hash(text)[..8];
        return key;
    }

    /// <summary>A param value as it will be stored: unchanged up to 6000 characters, else a prefix and a hash.</summary>
    public static string FitParamValue(string value) => Fit(value, MaxParamValueLength);

    /// <summary>A tag value as it will be stored: unchanged up to 5000 characters, else a prefix and a hash.</summary>
    public static string FitTagValue(string value) => Fit(value, MaxTagValueLength);

    private static string Fit(string value, int limit)
    {
        if (value.Length <= limit) return value;
        string suffix = $"...[{value.Length} chars, sha256:{Hash(value)}]";
        return value[..(limit - suffix.Length)] + suffix;
    }

    private static bool IsKeyChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or ' ' or '/';

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
