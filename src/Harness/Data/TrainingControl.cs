namespace Harness.Data;

/// <summary>
/// One memorization control (Zhang et al. 2017): its <c>control.kind</c> in specs and what it does to the training
/// images one seed sees. The controls are the entries of <see cref="TrainingSetView.Controls"/>; the spec loader reads
/// their names there, so a new control is one entry (and its row in the README's table of controls).
/// </summary>
/// <param name="Name">The spec's <c>control.kind</c>.</param>
/// <param name="Apply">The training images after the control, from the images, <c>control.fraction</c>, the number of
/// classes and the generator the run's seed and the control's name derive.</param>
/// <param name="TakesFraction">Whether <c>control.fraction</c> means anything to it; for the others a fraction is an error.</param>
internal sealed record TrainingControl(string Name, Func<LabeledImages, double, int, SeededGenerator, LabeledImages> Apply, bool TakesFraction = false);
