namespace Harness.Data;

/// <summary>A condition's data after decoding and preprocessing, identical for every seed.</summary>
/// <param name="ClassNames">Class names sorted ordinally; index = label.</param>
/// <param name="Train">Training images.</param>
/// <param name="Tests">Named test sets; the first is the primary one.</param>
/// <param name="Fingerprint">Hash of the source contents and every preprocessing parameter.</param>
/// <param name="Notes">What preparation found (counts, phantom files ignored, ...), recorded in run.yaml.</param>
/// <param name="BayesOptimalAccuracy">For synthetic presets: the best accuracy any classifier can reach.</param>
public sealed record PreparedDataset(
    IReadOnlyList<string> ClassNames,
    LabeledImages Train,
    IReadOnlyList<NamedImages> Tests,
    string Fingerprint,
    IReadOnlyDictionary<string, string> Notes,
    double? BayesOptimalAccuracy);
