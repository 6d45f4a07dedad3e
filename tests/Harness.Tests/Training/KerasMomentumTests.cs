using Harness.Specs;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

public sealed class KerasMomentumTests
{
    /// <summary>Five steps of SGD, momentum 0.9, Keras time decay 0.3, on loss = sum(c * w^2): the weights after each step.</summary>
    private static double[][] Train(InitScheme scheme)
    {
        var spec = new OptimizerSpec("sgd", 0.1, Momentum: 0.9, Decay: 0.3);
        var weights = new TorchSharp.Modules.Parameter(torch.tensor(new double[] { 1.0, -2.0, 0.5 }));
        using var c = torch.tensor(new double[] { 1.0, 0.5, 2.0 });
        using var optimizer = OptimizerFactory.Create(spec, [weights]);
        var trace = new List<double[]>();
        for (int t = 0; t < 5; t++)
        {
            OptimizerFactory.PrepareStep(optimizer, spec, scheme, t);
            optimizer.zero_grad();
            using var loss = (c * weights * weights).sum();
            loss.backward();
            optimizer.step();
            trace.Add(weights.detach().data<double>().ToArray());
        }
        return trace.ToArray();
    }

    [Fact]
    public void Keras_sgd_keeps_each_gradients_own_learning_rate_in_its_velocity()
    {
        double[] w = [1.0, -2.0, 0.5], c = [1.0, 0.5, 2.0], v = new double[3];
        var keras = Train(InitScheme.Keras);
        for (int t = 0; t < 5; t++)
        {
            double rate = 0.1 / (1 + 0.3 * t);
            for (int i = 0; i < 3; i++)
            {
                v[i] = 0.9 * v[i] - rate * 2 * c[i] * w[i]; // Keras: v = m v - lr_t g; w += v
                w[i] += v[i];
            }
            for (int i = 0; i < 3; i++) Assert.Equal(w[i], keras[t][i], 12);
        }
    }

    [Fact]
    public void Torch_init_keeps_pytorchs_sgd_which_differs_once_the_rate_decays()
    {
        var torchForm = Train(InitScheme.Torch);
        var keras = Train(InitScheme.Keras);
        Assert.Equal(keras[0], torchForm[0]);   // first step: no velocity yet
        Assert.NotEqual(keras[4][0], torchForm[4][0], 6);
    }
}
