namespace Harness.Tracking.Mlflow;

/// <summary>
/// A data set as MLflow records a run's input (<c>runs/log-inputs</c>, MLflow 2.4 and later): the UI's Dataset column
/// shows <see cref="Name"/> and <see cref="Digest"/>. The server refuses a digest longer than
/// <see cref="MaxDigestLength"/> characters, a name longer than 500 and a source longer than 65535.
/// </summary>
/// <param name="Name">Data set name.</param>
/// <param name="Digest">Short content hash (at most 36 characters).</param>
/// <param name="SourceType">Where it comes from, in MLflow's words (<c>local</c>, <c>code</c>, <c>http</c>, ...).</param>
/// <param name="Source">JSON describing the source, e.g. <c>{"uri": "/data/cells"}</c>.</param>
/// <param name="Profile">Optional JSON summary (counts), shown in the UI.</param>
/// <param name="Context">The <c>mlflow.data.context</c> input tag (<c>train</c>, <c>eval</c>), or null.</param>
public sealed record MlflowDataset(string Name, string Digest, string SourceType, string Source, string? Profile = null, string? Context = null)
{
    /// <summary>Longest digest MLflow stores (its <c>MAX_DATASET_DIGEST_SIZE</c>).</summary>
    public const int MaxDigestLength = 36;
    /// <summary>Longest name MLflow stores (its <c>MAX_DATASET_NAME_SIZE</c>).</summary>
    public const int MaxNameLength = 500;
    /// <summary>Longest source MLflow stores (its <c>MAX_DATASET_SOURCE_SIZE</c>).</summary>
    public const int MaxSourceLength = 65535;
    /// <summary>MLflow's input tag naming what a data set was used for.</summary>
    public const string ContextTag = "mlflow.data.context";
}
