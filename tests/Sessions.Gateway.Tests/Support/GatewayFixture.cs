using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Sessions.Host;
using Sessions.Gateway;
using Sessions.Gateway.Hosting;
using Sessions.Testing;

namespace Sessions.Gateway.Tests;

/// <summary>
/// The real gateway, composed exactly as Program composes it (<see cref="SessionsHost.BuildAsync"/>), listening on
/// a loopback port Kestrel picks, over a fresh migrated database of its own. One per test class: the tests of a class
/// run one after another, so they may compare row counts before and after a request.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    private HostApp? _gateway;
    private HttpClient? _client;
    private TestDatabase? _database;

    public HostApp Gateway => _gateway ?? throw new InvalidOperationException("The fixture is not initialized.");

    public HttpClient Client => _client ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>Direct access to the gateway's database, to see what was (not) written.</summary>
    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>Extra configuration (for example <c>Sessions:Limits:*</c>), on top of the defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Runs on the built gateway before it starts: tests map their own probes here.</summary>
    protected virtual void BeforeStart(HostApp gateway)
    {
    }

    public virtual async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("gateway");
        _database = new TestDatabase(connectionString);
        _gateway = await StartGatewayAsync(connectionString, Settings, beforeStart: BeforeStart);
        _client = new HttpClient { BaseAddress = new Uri(_gateway.Addresses.First()) }.Authorize();
    }

    /// <summary>
    /// Builds and starts a gateway on <paramref name="connectionString"/>, on a free loopback port, with the tests' admin
    /// key (<see cref="TestCredentials.AdminKey"/>) unless <paramref name="settings"/> say otherwise.
    /// </summary>
    public static async Task<HostApp> StartGatewayAsync(
        string connectionString,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<HostApp>? beforeStart = null)
    {
        var gateway = await SessionsHost.BuildAsync(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Sessions"] = connectionString,
                ["SESSIONS_SILO_PORT"] = "0",
                ["SESSIONS_GATEWAY_PORT"] = "0",
                ["Sessions:Shutdown:DrainDelay"] = "00:00:00",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                // The tests' webhook sinks listen on 127.0.0.1; the default (refused) is tested on its own.
                ["Sessions:Webhooks:AllowLoopback"] = "true",
                [TestCredentials.AdminKeyVariable] = TestCredentials.AdminKey,
            });
            builder.Configuration.AddInMemoryCollection(TestRateLimits.AsConfiguration());
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            configure?.Invoke(builder);
        });
        try
        {
            beforeStart?.Invoke(gateway);
            await gateway.StartAsync();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    public virtual async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
