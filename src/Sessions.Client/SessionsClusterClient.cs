using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sessions.Abstractions;
using Sessions.Actors;
using Sessions.Storage;

namespace Sessions.Client;

/// <summary>
/// A connection to a Sessions cluster for other .NET services, shaped like Orleans' <c>IClusterClient</c>: grain
/// references whose calls go straight to the silo that owns the grain (found through the membership table, with the
/// same placement the silos use), with the same JSON boundary as calls inside the cluster. Calls ride through silo
/// failures: a silo that cannot be reached or is leaving is skipped at once and the call goes to the next owner.
/// A call whose connection breaks after it was sent fails with <see cref="RuntimeErrors.CallInterrupted"/>, since it
/// may have run; retry it if it is idempotent (an append with a client_message_id is).
/// </summary>
/// <example>
/// <code>
/// await using var client = await SessionsClusterClient.ConnectAsync(new() { ConnectionString = "Host=db;Database=sessions;Username=app" });
/// var session = client.GetGrain&lt;IChatSessionGrain&gt;(sessionId);
/// var result = await session.AppendAsync(new AppendMessageCommand("alice", "text", content, null, "msg-1", null));
/// </code>
/// </example>
public sealed class SessionsClusterClient : IGrainFactory, IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IGrainFactory _grains;
    private readonly List<IHostedService> _background;

    private SessionsClusterClient(ServiceProvider services)
    {
        _services = services;
        _grains = services.GetRequiredService<IGrainFactory>();
        _background = services.GetServices<IHostedService>().ToList();
    }

    /// <summary>The silos this client currently sends calls to.</summary>
    public ClusterView View => _services.GetRequiredService<IClusterMembership>().View;

    /// <summary>Reads the membership table and starts keeping it fresh; fails if the database cannot be read.</summary>
    public static async Task<SessionsClusterClient> ConnectAsync(ClusterClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var services = new ServiceCollection();
        services.AddSingleton(options.LoggerFactory ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(provider => SessionsDataSource.Create(options.ConnectionString, provider.GetService<ILoggerFactory>()));
        services.AddSessionsMembership(options.ClusterId);
        services.Configure<GrainCallOptions>(o => o.ResponseTimeout = options.ResponseTimeout);
        services.AddClusterClient(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                options.Cluster?.Invoke(cluster);
            })
            .AddJsonContext(SessionsJsonContext.Default)
            .AddGrainInterface<IChatSessionGrain>();

        var client = new SessionsClusterClient(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
        try
        {
            foreach (var service in client._background)
            {
                await service.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey => _grains.GetGrain<TGrainInterface>(key);

    /// <summary>Not supported: a client has no endpoint for silos to call back (observers live on silos).</summary>
    public ObserverReference CreateObjectReference<TObserver>(TObserver observer) where TObserver : IGrainObserver =>
        throw new NotSupportedException("Observers live on silos; a cluster client has no endpoint for grains to call.");

    public void DeleteObjectReference(ObserverReference reference) => _grains.DeleteObjectReference(reference);

    public TObserver GetObserver<TObserver>(ObserverReference reference) where TObserver : IGrainObserver => _grains.GetObserver<TObserver>(reference);

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _background)
        {
            await service.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
