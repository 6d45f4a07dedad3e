using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Attribution;

/// <summary>
/// Gradient × input attribution: for each image, the gradient of the chosen class's logit with respect to the
/// input, times the input, summed over channels as a magnitude map and scaled to [0, 1] per image.
/// </summary>
public static class GradientTimesInput
{
    /// <summary>One H x W map per image of <paramref name="images"/> [N, C, H, W], for class <paramref name="classes"/>[i].</summary>
    public static float[][] Maps(nn.Module<Tensor, Tensor> model, Tensor images, IReadOnlyList<int> classes)
    {
        model.eval();
        using var scope = torch.NewDisposeScope();
        var input = images.detach().clone().requires_grad_(true);
        var logits = model.forward(input);
        using var index = torch.tensor(classes.Select(c => (long)c).ToArray(), device: logits.device).unsqueeze(1);
        logits.gather(1, index).sum().backward();
        var attribution = (input.grad! * input).abs().sum(1); // [N, H, W]
        var maxima = attribution.flatten(1).max(1).values.clamp_min(1e-12).view(-1, 1, 1);
        var scaled = (attribution / maxima).cpu();
        long n = scaled.shape[0];
        var maps = new float[n][];
        for (int i = 0; i < n; i++) maps[i] = scaled[i].data<float>().ToArray();
        return maps;
    }
}
