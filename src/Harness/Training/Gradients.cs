using TorchSharp.Modules;

namespace Harness.Training;

/// <summary>Clearing the parameters' gradients before a backward pass.</summary>
public static class Gradients
{
    /// <summary>
    /// Drops every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>), where TorchSharp's
    /// <c>Optimizer.zero_grad()</c> fills them with zeros: the backward pass then hands its gradient over instead of
    /// adding it to zeros, which saves a write and an add over every weight per step. The same numbers: 0 + g is g
    /// (only a -0 would become +0, which compares and computes alike), and every parameter of these networks receives a
    /// gradient in every step, so no optimizer skips one.
    /// </summary>
    public static void Clear(IEnumerable<Parameter> parameters)
    {
        foreach (var parameter in parameters) parameter.grad = null;
    }
}
