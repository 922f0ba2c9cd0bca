using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Sessions.Testing.Cluster;
using Xunit.Abstractions;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>What one test silo is: its database and cluster, its endpoints, and which ADO.NET providers it runs.</summary>
internal sealed record TestSilo(string ConnectionString, string ClusterId)
{
    public string ServiceId { get; init; } = "sessions-tests";

    public int SiloPort { get; init; } = FreePorts.Next();

    public int GatewayPort { get; init; } = FreePorts.Next();

    /// <summary>Grain storage providers by name; the value is DeleteStateOnClear.</summary>
    public IReadOnlyDictionary<string, bool> GrainStorages { get; init; } = new Dictionary<string, bool>();

    public bool Reminders { get; init; }

    public ITestOutputHelper? Output { get; init; }

    /// <summary>Another silo of the same cluster, on endpoints of its own.</summary>
    public TestSilo Sibling() => this with { SiloPort = FreePorts.Next(), GatewayPort = FreePorts.Next() };
}

/// <summary>
/// Real silos and clients on the Orleans ADO.NET providers, in this process, on loopback. Membership timings are
/// cut from minutes to about a second so that joins, deaths and shutdowns take seconds; they are all here.
/// </summary>
internal static class OrleansTestHosts
{
    /// <summary>Every ADO.NET options class needs it: the grain storage's default is SQL Server's.</summary>
    public const string Invariant = "Npgsql";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(150);

    public static IHost BuildSilo(TestSilo silo) =>
        new HostBuilder()
            .ConfigureLogging(logging => AddOutput(logging, silo.Output))
            .UseOrleans(builder =>
            {
                builder
                    .UseAdoNetClustering(o =>
                    {
                        o.Invariant = Invariant;
                        o.ConnectionString = silo.ConnectionString;
                    })
                    .Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = silo.ClusterId;
                        o.ServiceId = silo.ServiceId;
                    })
                    .ConfigureEndpoints(IPAddress.Loopback, silo.SiloPort, silo.GatewayPort)
                    .Configure<ClusterMembershipOptions>(Quick);
                builder.Services.AddSingleton<TestSiloFatalErrors>();
                builder.Services.Replace(ServiceDescriptor.Singleton<IFatalErrorHandler>(
                    services => services.GetRequiredService<TestSiloFatalErrors>()));

                foreach (var (name, deleteStateOnClear) in silo.GrainStorages)
                {
                    builder.AddAdoNetGrainStorage(name, o =>
                    {
                        o.Invariant = Invariant;
                        o.ConnectionString = silo.ConnectionString;
                        o.DeleteStateOnClear = deleteStateOnClear;
                    });
                }

                if (silo.Reminders)
                {
                    builder
                        .UseAdoNetReminderService(o =>
                        {
                            o.Invariant = Invariant;
                            o.ConnectionString = silo.ConnectionString;
                        })
                        .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
                }
            })
            .UseDefaultServiceProvider(o => o.ValidateOnBuild = o.ValidateScopes = true)
            .Build();

    public static async Task<IHost> StartSiloAsync(TestSilo silo)
    {
        var host = BuildSilo(silo);
        try
        {
            await StartAsync(host);
            return host;
        }
        catch
        {
            await StopAfterFailedStartAsync(host);
            throw;
        }
    }

    /// <summary>A client that finds the cluster's gateways in the membership table (GatewaysQueryKey).</summary>
    public static async Task<IHost> StartClientAsync(string connectionString, string clusterId, string serviceId = "sessions-tests")
    {
        var host = new HostBuilder()
            .UseOrleansClient(client => client
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = Invariant;
                    o.ConnectionString = connectionString;
                })
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = serviceId;
                }))
            .Build();
        try
        {
            await StartAsync(host);
            return host;
        }
        catch
        {
            await StopAfterFailedStartAsync(host);
            throw;
        }
    }

    public static async Task StartAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await host.StartAsync(timeout.Token).WaitAsync(StartTimeout);
    }

    /// <summary>
    /// Stops what a failed start left running. Disposing the host alone was not enough: a silo that got part way kept
    /// its listeners, timers and loops, and once disposed, its grain directory's membership loop found the update
    /// stream ended and went round it without pause (some hundred thousand thread-pool items a second) for the rest
    /// of the test process. The two-silo tests that ran later lost their pings to the CPU it took.
    /// </summary>
    private static async Task StopAfterFailedStartAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        if (host.Services.GetService<ISiloLifecycleSubject>() is { } silo)
        {
            // Not host.StopAsync: Orleans' Silo.StopAsync refuses a silo that never became active ("not in the
            // Running state") and stops nothing. The lifecycle itself stops each stage that started, last first, as
            // Silo.StopAsync does for a running silo. The host is then left undisposed, for the garbage collector:
            // disposing it calls Silo.StopAsync again, which now finds the silo terminated and waits for ever for
            // the end of a stop of its own that never began (the test run hung there).
            await IgnoringFailure(silo.OnStop(timeout.Token));
            return;
        }

        await IgnoringFailure(host.StopAsync(timeout.Token));
        host.Dispose();
    }

    // The start's own failure is what the caller is told about.
    private static async Task IgnoringFailure(Task stop)
    {
        try
        {
            await stop;
        }
        catch (Exception)
        {
        }
    }

    /// <summary>
    /// A graceful stop: the silo says ShuttingDown, then Dead, in the table. A silo that met a fatal error on the way
    /// (declared dead by its peers, say) fails the test here.
    /// </summary>
    public static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await host.StopAsync(timeout.Token);
        var fatal = host.Services.GetService<TestSiloFatalErrors>()?.First;
        if (fatal is not null)
        {
            throw new InvalidOperationException($"The silo met a fatal error: {fatal}");
        }
    }

    // No test here needs a quick declaration of death (stops are graceful; a dead generation at a reused address is
    // buried on join), so probing is left patient: with one vote after two missed one-second probes, a silo of a test
    // run on a loaded two-core machine was declared dead while it joined. A joining silo pings the active ones until
    // MaxJoinAttemptTime: on a starved machine (CI beside other builds) 20 s of that failed a join the table allowed.
    private static void Quick(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(3);
        o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(1);
        o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
        o.NumMissedProbesLimit = 3;
        o.NumVotesForDeathDeclaration = 2;
        o.MaxJoinAttemptTime = TimeSpan.FromSeconds(120);
    }

    private static void AddOutput(ILoggingBuilder logging, ITestOutputHelper? output)
    {
        logging.ClearProviders();
        if (output is not null)
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            logging.AddProvider(new TestOutputLoggerProvider(output));
        }
    }
}
