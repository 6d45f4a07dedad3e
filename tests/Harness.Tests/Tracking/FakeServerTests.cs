namespace Harness.Tests.Tracking;

/// <summary>Tests against a fresh MLflow fake per test, with a temporary results root deleted afterwards.</summary>
public abstract class FakeServerTests : IAsyncLifetime
{
    /// <summary>The fake server of this test.</summary>
    protected FakeMlflowServer server = null!;

    /// <summary>A temporary folder for this test's results.</summary>
    protected readonly string root = MlflowTestData.TempDirectory();

    /// <inheritdoc />
    public async Task InitializeAsync() => server = await FakeMlflowServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }
}
