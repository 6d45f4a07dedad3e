namespace Harness.Specs;

/// <summary>
/// Seeded on-the-fly augmentation of the training images (<c>data.augment</c>), drawn anew each epoch from the run
/// seed. Test images are never augmented.
/// </summary>
/// <param name="RotateDegrees">Rotate each image by an angle drawn uniformly from [-RotateDegrees, +RotateDegrees].</param>
/// <param name="Flip">Flip each image horizontally with probability 1/2 and vertically with probability 1/2.</param>
/// <param name="ShiftPixels">Shift each image by whole pixels drawn uniformly from [-ShiftPixels, +ShiftPixels] on each axis.</param>
/// <param name="Fill">How pixels that come from outside the image are filled: <c>reflect</c>, <c>nearest</c> or <c>constant</c> (zero).</param>
public sealed record AugmentSpec(double RotateDegrees = 0, bool Flip = false, int ShiftPixels = 0, string Fill = "reflect")
{
    /// <summary>True when the spec changes nothing.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsIdentity => RotateDegrees == 0 && !Flip && ShiftPixels == 0;
}
