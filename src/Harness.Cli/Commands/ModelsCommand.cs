using System.CommandLine;
using Harness.Models;

namespace Harness.Cli.Commands;

/// <summary><c>harness models [NAME]</c>: the architectures, or one's Keras-style summary.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "Architecture to summarize (omit to list all)", Arity = ArgumentArity.ZeroOrOne };
        var input = new Option<string?>("--input") { Description = "Input as CxHxW, e.g. 1x256x256 (default: the published input)" };
        var classes = new Option<int?>("--classes") { Description = "Number of classes (default: the published count)" };
        var command = new Command("models", "List the architectures, or print one's layers, output shapes and parameter counts") { name, input, classes };
        command.SetAction(parse => Failures.Guard(() =>
        {
            Harness.Native.TorchRuntime.EnsureLoaded();
            string? chosen = parse.GetValue(name);
            if (chosen is null)
            {
                foreach (var n in ModelRegistry.Names)
                {
                    var a = ModelRegistry.Get(n);
                    var s = ModelRegistry.Summarize(n, a.PublishedShape);
                    Console.WriteLine($"{n,-16}{s.Trainable,12:N0} params  {a.Description}");
                }
                return 0;
            }
            var arch = ModelRegistry.Get(chosen);
            var shape = arch.PublishedShape;
            if (parse.GetValue(input) is { } text)
            {
                var parts = text.Split('x');
                if (parts.Length != 3 || !parts.All(p => int.TryParse(p, out _)))
                    throw new ArgumentException($"--input '{text}': expected CxHxW, e.g. 3x256x256");
                shape = shape with { Channels = int.Parse(parts[0]), Height = int.Parse(parts[1]), Width = int.Parse(parts[2]) };
            }
            if (parse.GetValue(classes) is { } k) shape = shape with { Classes = k };
            Console.Write(ModelRegistry.Summarize(chosen, shape).Format());
            return 0;
        }));
        return command;
    }
}
