using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Sessions.Embedded;
using Sessions.Host.Database;

namespace Sessions.Host;

/// <summary>
/// A built host: the web application (the silo and the gateway in it) plus the database it runs on. Disposing it
/// disposes the application first and then stops the embedded PostgreSQL server, if the host started one, so no
/// request is cut off by its database.
/// </summary>
public sealed class HostApp : IAsyncDisposable
{
    private readonly HostDatabase _database;
    private readonly ILoggerFactory _bootstrapLogging;
    private readonly IHostApplicationLifetime _lifetime;

    internal HostApp(WebApplication app, HostDatabase database, ILoggerFactory bootstrapLogging, string? publicUrls)
    {
        App = app;
        PublicUrls = publicUrls;
        _database = database;
        _bootstrapLogging = bootstrapLogging;

        // Resolved now: RunAsync disposes the app's services when it returns.
        _lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
    }

    public WebApplication App { get; }

    /// <summary>The public URLs bound (<c>--urls</c>, else the default); null when Kestrel:Endpoints configures them.</summary>
    public string? PublicUrls { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The connection string in use (configured, or the embedded server's).</summary>
    public string ConnectionString => _database.ConnectionString;

    /// <summary>The private server when the gateway started one; null when it uses a configured database.</summary>
    public EmbeddedPostgres? EmbeddedPostgres => _database.Embedded;

    /// <summary>The public addresses Kestrel listens on (real ports, also when port 0 was asked for); known once started.</summary>
    public IReadOnlyCollection<string> Addresses =>
        App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    /// <summary>This silo's address in the cluster (silo-to-silo endpoint and generation).</summary>
    public SiloAddress SiloAddress => App.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    /// <summary>The port Orleans clients connect to (<c>SESSIONS_GATEWAY_PORT</c>).</summary>
    public int GatewayPort => App.Services.GetRequiredService<ILocalSiloDetails>().GatewayAddress?.Endpoint.Port ?? 0;

    /// <summary>Runs until the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task RunAsync() => App.RunAsync();

    public Task StartAsync(CancellationToken ct = default) => App.StartAsync(ct);

    public Task StopAsync(CancellationToken ct = default) => App.StopAsync(ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Disposing a running host skips the graceful stop (the silo's deactivations among it): stop it first.
            if (_lifetime.ApplicationStarted.IsCancellationRequested && !_lifetime.ApplicationStopped.IsCancellationRequested)
            {
                await App.StopAsync().ConfigureAwait(false);
            }

            await App.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _database.DisposeAsync().ConfigureAwait(false);
            _bootstrapLogging.Dispose();
        }
    }
}
