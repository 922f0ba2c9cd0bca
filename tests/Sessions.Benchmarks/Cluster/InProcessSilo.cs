using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Sessions.Grains;
using Sessions.Storage;

namespace Sessions.Benchmarks;

/// <summary>
/// An Orleans silo inside the benchmark process (Orleans' in-process test cluster: its own in-memory membership)
/// hosting the chat grains over the given database, so calls from here to its activations cross no network.
/// </summary>
internal sealed class InProcessSilo : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private InProcessSilo(InProcessTestCluster cluster)
    {
        _cluster = cluster;
        Grains = cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
    }

    /// <summary>The silo's own grain factory: calls made with it start inside the silo.</summary>
    public IGrainFactory Grains { get; }

    public static async Task<InProcessSilo> StartAsync(string connectionString)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Services.AddSessionsStorage(connectionString));
        builder.ConfigureSilo((_, silo) => silo.AddChatGrains(connectionString));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new InProcessSilo(cluster);
    }

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
