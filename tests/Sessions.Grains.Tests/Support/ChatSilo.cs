using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;
using Sessions.Abstractions;
using Sessions.Storage;
using Sessions.Storage.Participants;

namespace Sessions.Grains.Tests;

/// <summary>
/// Orleans' in-process test cluster hosting the chat grains over a real PostgreSQL database. Tests call the grains
/// through the cluster's client, so every argument and result crosses the Orleans serializer as it does in production.
/// </summary>
internal sealed class ChatSilo : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;
    private readonly NpgsqlDataSource _dataSource;

    private ChatSilo(InProcessTestCluster cluster, NpgsqlDataSource dataSource)
    {
        _cluster = cluster;
        _dataSource = dataSource;
        Participants = new ParticipantStore(dataSource);
    }

    public IGrainFactory Grains => _cluster.Client;

    public ParticipantStore Participants { get; }

    /// <param name="settings">Configuration of every silo, such as <c>Sessions:ChatSession:TailCacheSize</c>.</param>
    /// <param name="clock">
    /// The grains' clock (a <c>FakeTimeProvider</c>): what the grains read as now and what drives their grain timers.
    /// Orleans' own machinery (messaging, membership, streams, reminders) and the webhook sender keep real time.
    /// </param>
    public static async Task<ChatSilo> StartAsync(
        string connectionString, Dictionary<string, string?>? settings = null, short silos = 1, TimeProvider? clock = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(settings ?? []);
            host.Services.AddSessionsStorage(connectionString);
            if (clock is not null)
            {
                host.Services.AddKeyedSingleton(TimeProviderNames.Grains, clock);
            }
        });
        builder.ConfigureSilo((_, silo) => silo.AddChatGrains(connectionString));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new ChatSilo(cluster, SessionsDataSource.Create(connectionString));
    }

    public IChatSessionGrain Session(string id) => Grains.GetGrain<IChatSessionGrain>(id);

    /// <summary>True while some silo holds an activation of <paramref name="grain"/>.</summary>
    public bool IsActive(IAddressable grain) => _cluster.TryGetGrainContext(grain.GetGrainId(), out _);

    /// <summary>Deactivates <paramref name="grain"/> as idle collection would, and waits until it is gone.</summary>
    public Task DeactivateAsync(IAddressable grain) => _cluster.DeactivateAsync(grain);

    /// <summary>Creates two humans (and an agent) with fresh ids and a session between them.</summary>
    public async Task<(IChatSessionGrain Grain, ChatSession Session)> CreateSessionAsync(bool withAgent = false)
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        await Participants.TryInsertAsync($"{prefix}-alice", ParticipantKind.Human, "Alice", null, CancellationToken.None);
        await Participants.TryInsertAsync($"{prefix}-bob", ParticipantKind.Human, "Bob", null, CancellationToken.None);
        if (withAgent)
        {
            await Participants.TryInsertAsync($"{prefix}-agent", ParticipantKind.Agent, "Helper", null, CancellationToken.None);
        }

        var grain = Session($"s-{prefix}");
        var session = await grain.CreateAsync(new CreateSessionCommand($"{prefix}-alice", $"{prefix}-bob", withAgent ? $"{prefix}-agent" : null, "", null, null));
        return (grain, session);
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
