namespace Harness.Specs;

/// <summary>
/// A memorization control from Zhang et al. 2017 applied to the training set, seeded by the run's seed:
/// <c>random_labels</c>, <c>corrupt_labels</c> (a fraction of labels replaced), <c>shuffled_pixels</c>
/// (one fixed permutation), <c>random_pixels</c> (a permutation per image), <c>gaussian_noise</c>
/// (images replaced by noise with the data's mean and variance).
/// </summary>
/// <param name="Kind">The control.</param>
/// <param name="Fraction">For <c>corrupt_labels</c>: the fraction p of labels corrupted.</param>
public sealed record ControlSpec(string Kind, double Fraction = 1.0);
