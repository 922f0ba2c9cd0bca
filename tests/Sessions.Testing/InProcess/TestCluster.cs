using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sessions.Actors;
using Sessions.Storage;

namespace Sessions.Testing.InProcess;

/// <summary>
/// Several silos in the test process, as Orleans' <c>TestCluster</c>: each a real Kestrel host on loopback with its
/// own silo endpoint, all in one cluster of a real PostgreSQL membership table. Protocol timings are shortened so
/// that views settle in a fraction of a second.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<TestSilo> _silos = [];
    private readonly string _connectionString;
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}"[..16];
    private readonly Action<SiloBuilder> _grains;

    private TestCluster(string connectionString, Action<SiloBuilder> grains)
    {
        _connectionString = connectionString;
        _grains = grains;
    }

    public IReadOnlyList<TestSilo> Silos => _silos;

    public static async Task<TestCluster> StartAsync(int silos, Action<SiloBuilder> grains, string? connectionString = null)
    {
        var cluster = new TestCluster(connectionString ?? await TestPostgres.CreateDatabaseAsync("cluster").ConfigureAwait(false), grains);
        for (var i = 0; i < silos; i++)
        {
            await cluster.AddSiloAsync().ConfigureAwait(false);
        }

        await cluster.WaitForActiveSilosAsync(silos).ConfigureAwait(false);
        return cluster;
    }

    /// <summary>Starts one more silo and waits until it is Active; <paramref name="configure"/> adjusts its cluster options last.</summary>
    public async Task<TestSilo> AddSiloAsync(Action<ClusterOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(SessionsDataSource.Create(_connectionString));
        builder.Services.AddSessionsMembership(_clusterId);
        var silo = builder.Services.AddSilo().UseClustering(options =>
        {
            options.ClusterId = _clusterId;
            options.SiloName = $"silo-{_silos.Count + 1}";
            options.SiloPort = 0;
            options.ProbeInterval = TimeSpan.FromMilliseconds(200);
            options.ProbeTimeout = TimeSpan.FromMilliseconds(500);
            options.LeaveDrainDelay = TimeSpan.FromMilliseconds(500);
            configure?.Invoke(options);
        });
        _grains(silo);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ApplicationServices.GetRequiredService<SiloEndpoint>().Listen(kestrel));
        var app = builder.Build();
        app.MapSiloEndpoints();
        await app.StartAsync().ConfigureAwait(false);
        var added = new TestSilo(app);
        _silos.Add(added);
        return added;
    }

    /// <summary>Waits until every running silo sees exactly <paramref name="count"/> Active silos.</summary>
    public async Task WaitForActiveSilosAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (!_silos.Where(s => s.IsRunning).All(s => s.Membership.View.ActiveSilos.Length == count))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The silos did not all see {count} active silos: " +
                    string.Join("; ", _silos.Select(s => $"{s.Name}: {s.Membership.View.ActiveSilos.Length}")));
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>One in-process silo of a <see cref="TestCluster"/>.</summary>
public sealed class TestSilo(WebApplication app) : IAsyncDisposable
{
    public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    public ISiloStatistics Statistics => app.Services.GetRequiredService<ISiloStatistics>();

    public MembershipService Membership => app.Services.GetRequiredService<MembershipService>();

    public SiloAddress Address => Membership.Self ?? throw new InvalidOperationException("The silo has not joined.");

    public string Name => Membership.Self?.ToString() ?? "(not joined)";

    public bool IsRunning { get; private set; } = true;

    public T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();

    /// <summary>Leaves the cluster gracefully.</summary>
    public async Task StopAsync()
    {
        if (IsRunning)
        {
            IsRunning = false;
            await app.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
