using Harness.Models;
using Harness.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// K networks of one architecture, trained from K seeds, fused into one module so that one forward and one
/// backward pass train them all. Conv layers become grouped convolutions (groups = K), dense layers batched
/// matrix products, batch norm one layer over K*C channels; pooling, ReLU and dropout act per channel anyway.
/// Input [B, K*C, H, W] (member k's images in channels k*C..(k+1)*C-1, see <see cref="Stack"/>), or on the CPU for
/// large images member-major [K*B, C, H, W] into the member-by-member layers (<see cref="InputMemberMajor"/>); output logits
/// [K, B, classes]. Every fused tensor holds member k's values contiguously at slice k, so a member can be
/// copied in (<see cref="LoadMember"/>) and out (<see cref="StoreMember"/>) as the standalone network it is.
/// </summary>
public sealed class FusedEnsemble : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> layers;
    private readonly List<(string Key, Tensor Fused)> tensors = [];
    private readonly List<Parameter> kernels = [];
    private readonly Parameter[] ordered;

    /// <summary>Number of fused members (K).</summary>
    public int Members { get; }

    /// <summary>
    /// Builds member k exactly as <see cref="ModelRegistry.Create"/> does for a standalone run of
    /// <paramref name="seeds"/>[k] (its own initialization generator) and fuses the K members on <paramref name="device"/>.
    /// </summary>
    public static FusedEnsemble Create(string architecture, ModelShape shape, InitScheme init, IReadOnlyList<int> seeds, Device device, bool? channelsLast = null)
    {
        var members = new List<SequentialNetwork>();
        try
        {
            foreach (int seed in seeds)
            {
                using var generator = new Generator((ulong)RunSeeds.Initialization(seed));
                members.Add(ModelRegistry.Create(architecture, shape, init, generator));
            }
            return new FusedEnsemble(architecture, shape, members, device, channelsLast);
        }
        finally
        {
            foreach (var m in members) m.Dispose();
        }
    }

    /// <summary>
    /// On the CPU, layers whose input has more than this many pixels (H*W) run member-major (see
    /// <see cref="InputMemberMajor"/>): there libtorch's grouped convolutions are several times slower than K plain
    /// ones, while below it they are faster (README, "Seed-parallel training"). The choice depends only on shapes,
    /// so a run stays a function of its spec.
    /// </summary>
    public const long MemberMajorAbovePixels = 32 * 32;

    /// <summary>
    /// Fuses <paramref name="members"/> (built from <paramref name="architecture"/> for <paramref name="shape"/>),
    /// copying their weights and batch-norm state. On the CPU the channel-stacked layers run channels-last and
    /// large early layers member-major; elsewhere (GPU) every layer is channel-stacked.
    /// </summary>
    /// <param name="architecture">The members' architecture.</param>
    /// <param name="shape">Their input shape and classes.</param>
    /// <param name="members">The standalone members, in seed order.</param>
    /// <param name="device">Where the fused model lives.</param>
    /// <param name="channelsLast">Layout of the channel-stacked layers; null: channels-last on the CPU (faster there),
    /// standard elsewhere. Both compute the same function; their float rounding differs.</param>
    public FusedEnsemble(string architecture, ModelShape shape, IReadOnlyList<SequentialNetwork> members, Device device, bool? channelsLast = null) : base($"fused-{architecture}")
    {
        if (members.Count < 1) throw new ArgumentException("at least one member is needed", nameof(members));
        Members = members.Count;
        int k = members.Count;
        bool cpu = device.type == DeviceType.CPU;
        ChannelsLast = channelsLast ?? cpu;
        // The shape of each layer's input, from one blank image through the template (before its modules go).
        using var noGrad = torch.no_grad();
        var probe = torch.zeros(1, shape.Channels, shape.Height, shape.Width);
        bool memberMajor = cpu;
        // A fresh stack gives the layer sequence, names and the parameter-free modules (pooling, dropout);
        // its own weights are discarded: every value comes from the members.
        var template = ModelRegistry.Get(architecture).Build(shape);
        var memberModules = members[0].named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var fused = new List<(string, nn.Module<Tensor, Tensor>)>();
        var memberwise = new List<(string, nn.Module<Tensor, Tensor>)>();
        foreach (var (name, module) in template.Layers)
        {
            string prefix = $"layers.{name}.";
            var (core, relu, corePrefix) = module switch
            {
                Sequential s => (s.named_children().First().module, true, prefix + s.named_children().First().name + "."),
                _ => ((nn.Module)module, false, prefix),
            };
            bool large = probe.dim() == 4 && probe.shape[2] * probe.shape[3] > MemberMajorAbovePixels;
            bool stays = memberMajor && large && core is Conv2d or MaxPool2d or Dropout;
            if (memberMajor && !stays && memberwise.Count > 0)
                fused.Add(("memberwise", new FusedMemberwise("memberwise", memberwise.Select(l => l.Item2), k, ChannelsLast)));
            memberMajor = stays;
            var target = memberMajor ? memberwise : fused;
            module.eval();
            var next = module.forward(probe);
            probe.Dispose();
            probe = next;
            // Large early layers (member-major) are convolutions, pooling or dropout; every other layer is fused.
            var fusedLayer = Fuse(architecture, name, core, relu, corePrefix, memberModules, device);
            target.Add((name, fusedLayer ?? module));
            if (fusedLayer is not null) module.Dispose(); // the template's own weights: the members' are copied in below
        }
        probe.Dispose();
        InputMemberMajor = memberwise.Count > 0;
        layers = nn.Sequential(fused.ToArray());
        RegisterComponents();

        var byKey = tensors.ToDictionary(t => t.Key, t => t.Fused, StringComparer.Ordinal);
        ordered = members[0].named_parameters().Select(p => (Parameter)byKey[p.name]).ToArray();
        for (int m = 0; m < k; m++) LoadMember(m, members[m]);
    }

    /// <summary>
    /// The fused parameters in the order of a standalone member's <c>parameters()</c>, so that an optimizer built
    /// over them keeps its per-parameter state in the same order as a standalone run's optimizer.
    /// </summary>
    public IReadOnlyList<Parameter> OrderedParameters => ordered;

    /// <summary>Member <paramref name="member"/>'s part of <paramref name="fused"/> (a view), shaped like <paramref name="like"/>.</summary>
    public Tensor Slice(Tensor fused, int member, Tensor like) =>
        fused.numel() == like.numel() ? fused.view(like.shape) : fused.view(Members, -1).select(0, member).view(like.shape);

    /// <summary>Copies a standalone network's weights and batch-norm statistics into member slot <paramref name="member"/>.</summary>
    public void LoadMember(int member, nn.Module network)
    {
        using var _ = torch.no_grad();
        var state = network.state_dict();
        foreach (var (key, fused) in tensors) Slice(fused, member, state[key]).copy_(state[key]);
    }

    /// <summary>Copies member slot <paramref name="member"/> into a standalone network of the same architecture.</summary>
    public void StoreMember(int member, nn.Module network)
    {
        using var _ = torch.no_grad();
        var state = network.state_dict();
        foreach (var (key, fused) in tensors) state[key].copy_(Slice(fused, member, state[key]));
    }

    /// <summary>The fused conv and dense kernels (every member's), which Keras's L2 term penalizes.</summary>
    public IReadOnlyList<Parameter> Kernels => kernels;

    /// <summary>
    /// Each member's Keras L2 term, l2 * sum of its squared conv and dense kernels: [K], as a value (no gradient flows
    /// through it; the optimizer step adds its gradient, see <see cref="KernelWeights"/>).
    /// </summary>
    public Tensor KernelPenalty(double l2)
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope(); // the squares (as large as the kernels) go now, not at the end of the batch
        Tensor total = kernels[0].view(Members, -1).square().sum(1);
        for (int i = 1; i < kernels.Count; i++) total = total + kernels[i].view(Members, -1).square().sum(1);
        return (total * l2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// True when the channel-stacked layers run channels-last (shape [B, K*C, H, W], strides of [B, H, W, K*C]):
    /// on the CPU, where libtorch's grouped convolutions are much faster in that layout.
    /// </summary>
    public bool ChannelsLast { get; }

    /// <summary>
    /// True when the first layers run member-major: the fused input is [K*B, C, H, W] (member k's batch at rows
    /// k*B..(k+1)*B-1) and the member-by-member layers (<see cref="FusedMemberwise"/>) hand channel-stacked
    /// [B, K*C, H, W] to the fused ones.
    /// </summary>
    public bool InputMemberMajor { get; }

    /// <summary>Stacks K member batches [B, C, H, W] into the fused input (one copy).</summary>
    public Tensor Stack(IReadOnlyList<Tensor> perMember) =>
        InputMemberMajor ? torch.cat(perMember.ToArray(), 0) : StackChannels(perMember, ChannelsLast);

    /// <summary>
    /// K member tensors [B, C, H, W] stacked by channel, [B, K*C, H, W] with member k at channels k*C..(k+1)*C-1;
    /// laid out channels-last (strides of [B, H, W, K*C]) when <paramref name="channelsLast"/>. One copy.
    /// </summary>
    internal static Tensor StackChannels(IReadOnlyList<Tensor> perMember, bool channelsLast) => channelsLast
        ? torch.cat(perMember.Select(x => x.permute(0, 2, 3, 1)).ToArray(), 3).permute(0, 3, 1, 2)
        : torch.cat(perMember.ToArray(), 1);

    /// <summary>One batch [B, C, H, W] given to every member: the fused input (one copy).</summary>
    public Tensor Repeat(Tensor batch) =>
        InputMemberMajor ? batch.repeat(Members, 1, 1, 1)
        : ChannelsLast ? batch.permute(0, 2, 3, 1).repeat(1, 1, 1, Members).permute(0, 3, 1, 2)
        : batch.repeat(1, Members, 1, 1);

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => layers.forward(input);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) layers.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// The fused form of one template layer's core module (its ReLU, if any, folded in), its tensors tracked under
    /// <paramref name="prefix"/>; null for pooling and dropout, which act per channel and are kept as they are.
    /// </summary>
    private nn.Module<Tensor, Tensor>? Fuse(string architecture, string name, nn.Module core, bool relu, string prefix,
        IReadOnlyDictionary<string, nn.Module> memberModules, Device device)
    {
        switch (core)
        {
            case Conv2d conv:
                var fc = new FusedConv2d(name, conv, Members, relu, device);
                TrackKernel(fc, fc.Kernel, prefix);
                return fc;
            case Linear linear:
                var fl = new FusedLinear(name, linear, Members, relu, device);
                TrackKernel(fl, fl.Kernel, prefix);
                return fl;
            case BatchNorm2d:
                var memberNorm = (BatchNorm2d)memberModules[$"layers.{name}"];
                long channels = memberNorm.running_mean!.shape[0];
                var norm = nn.BatchNorm2d(Members * channels, eps: memberNorm.eps, momentum: memberNorm.momentum ?? 0.1, device: device);
                Track(norm, prefix);
                return norm;
            case Flatten:
                return new FusedFlatten(name, Members);
            case MaxPool2d or Dropout:
                return null;
            default:
                throw new NotSupportedException($"{architecture}: layer {name} ({core.GetType().Name}) cannot be fused");
        }
    }

    private void TrackKernel(nn.Module module, Parameter kernel, string prefix)
    {
        Track(module, prefix);
        kernels.Add(kernel);
    }

    private void Track(nn.Module module, string prefix)
    {
        foreach (var (name, parameter) in module.named_parameters()) tensors.Add((prefix + name, parameter));
        foreach (var (name, buffer) in module.named_buffers()) tensors.Add((prefix + name, buffer));
    }
}
