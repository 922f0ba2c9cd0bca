using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sessions.Client;

/// <summary>
/// An Orleans client connected to a Sessions cluster, for a .NET program that has no host of its own (one that has
/// uses <see cref="SessionsClientBuilderExtensions.UseSessionsCluster"/> instead). Calls go through one of the silos'
/// gateways to the silo that holds the grain. Reads and appends with a client_message_id ride through a silo's death (resent by
/// <see cref="RetrySafeCallFilter"/>); other calls that were in flight then fail with the Orleans exception that says
/// so (<c>SiloUnavailableException</c>, <c>OrleansMessageRejectionException</c>), since they may have taken effect.
/// </summary>
/// <example>
/// <code>
/// await using var sessions = await SessionsClusterClient.ConnectAsync(new ClusterClientOptions { ConnectionString = "Host=db;Database=sessions;Username=app" });
/// var session = sessions.GetGrain&lt;IChatSessionGrain&gt;(sessionId);
/// var result = await session.AppendAsync(new AppendMessageCommand("alice", "text", content, null, "msg-1", null));
/// </code>
/// </example>
public sealed class SessionsClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private SessionsClusterClient(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The Orleans client itself: grains, observers, streams.</summary>
    public IClusterClient Client { get; }

    /// <summary>Connects to the cluster; fails if no gateway can be reached within Orleans' connection retries.</summary>
    /// <param name="logging">Where the client logs; nowhere by default.</param>
    public static async Task<SessionsClusterClient> ConnectAsync(
        ClusterClientOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        logging?.Invoke(builder.Logging);
        builder.UseOrleansClient(client => client.UseSessionsCluster(options));
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return new SessionsClusterClient(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>A reference to the grain with this string key, as <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string?)"/>.</summary>
    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey =>
        Client.GetGrain<TGrainInterface>(key);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }
}
