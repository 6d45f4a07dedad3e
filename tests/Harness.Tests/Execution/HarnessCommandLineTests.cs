using Harness.Execution;

namespace Harness.Tests.Execution;

public sealed class HarnessCommandLineTests
{
    [Fact]
    public void The_command_is_an_absolute_dotnet_host_and_the_absolute_cli_assembly()
    {
        var command = HarnessCommandLine.ForThisProcess("Harness.Cli.dll");

        Assert.Equal(2, command.Count);
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(command[0]));
        Assert.True(Path.IsPathRooted(command[0]) && File.Exists(command[0]), command[0]);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "Harness.Cli.dll"), command[1]);
    }
}
