using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sessions.Abstractions;
using Sessions.Actors;
using Sessions.Storage;
using Sessions.Storage.Participants;

namespace Sessions.Grains.Tests;

/// <summary>A real silo hosting the chat grains in the test process, over a real PostgreSQL database.</summary>
internal sealed class ChatSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private ChatSilo(IHost host)
    {
        _host = host;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public ISiloStatistics Statistics => _host.Services.GetRequiredService<ISiloStatistics>();

    public ParticipantStore Participants => _host.Services.GetRequiredService<ParticipantStore>();

    /// <param name="collectionAge">How long an activation may idle before it is collected: by default at once.</param>
    public static async Task<ChatSilo> StartAsync(string connectionString, Dictionary<string, string?>? settings = null, TimeSpan? collectionAge = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSessionsStorage(connectionString);
        builder.Services.AddSilo(o => o.CollectionAge = collectionAge ?? TimeSpan.FromMilliseconds(1)).AddChatGrains();
        var host = builder.Build();
        await host.StartAsync();
        return new ChatSilo(host);
    }

    public IChatSessionGrain Session(string id) => Grains.GetGrain<IChatSessionGrain>(id);

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
        await _host.StopAsync();
        _host.Dispose();
    }
}
