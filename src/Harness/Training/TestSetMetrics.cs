namespace Harness.Training;

/// <summary>Loss, accuracy and calibration on one test set after one epoch.</summary>
/// <param name="Name">Test set name.</param>
/// <param name="Loss">Mean cross-entropy.</param>
/// <param name="Accuracy">Fraction correct.</param>
/// <param name="MeanConfidenceCorrect">Mean top-class probability over correct predictions (NaN when none).</param>
/// <param name="MeanConfidenceWrong">Mean top-class probability over wrong predictions (NaN when none): "confidently wrong" as a number.</param>
/// <param name="ExpectedCalibrationError">ECE with 10 equal-width confidence bins.</param>
public sealed record TestSetMetrics(
    string Name,
    double Loss,
    double Accuracy,
    double MeanConfidenceCorrect,
    double MeanConfidenceWrong,
    double ExpectedCalibrationError);
