using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Client;

/// <summary>
/// Which calls <see cref="RetrySafeCallFilter"/> sends again when their outcome is lost: a call runs on the silo, then
/// a filter behind it (<see cref="LostOutcomes"/>) throws the <see cref="SiloUnavailableException"/> a dying silo would,
/// once per call. <c>[RetrySafe]</c> methods, <c>[ReadOnly]</c> reads and appends with a client_message_id are sent
/// again and answer as if sent once; any other call fails, though it took effect. (The crash tests next to this one
/// show reads and appends resent after a real silo death.)
/// </summary>
public sealed class RetrySafeCallFilterTests(RetrySafeCallFilterTests.Cluster cluster) : IClassFixture<RetrySafeCallFilterTests.Cluster>
{
    [Fact]
    public async Task Methods_marked_RetrySafe_are_sent_again_and_end_as_if_sent_once()
    {
        var alice = await cluster.ParticipantAsync("alice");
        var token = await alice.IssueTokenAsync(new IssueTokenCommand());
        var agent = cluster.Grains.GetGrain<IAgentGrain>(Unique("agent"));
        await agent.RegisterAsync(new RegisterAgentCommand(Url: "http://127.0.0.1:9/hook"));

        var (session, initiator) = await cluster.SessionAsync();
        await session.AppendAsync(Text(initiator, "msg-1"));
        var peer = (await session.GetAsync()).PeerId;

        using (cluster.Lost.Begin())
        {
            Assert.Equal(TokenStatus.Revoked, (await alice.RevokeTokenAsync(token.Id)).Status);
            Assert.Equal(AgentStatus.Disabled, (await agent.UpdateAsync(new UpdateAgentCommand(Status: AgentStatus.Disabled))).Status);
            Assert.Equal(0, (await cluster.Grains.GetGrain<IInboxGrain>(peer).MarkReadAsync(session.GetPrimaryKeyString(), 1)).UnreadCount);
            Assert.Equal(["RevokeTokenAsync", "RevokeTokenAsync", "UpdateAsync", "UpdateAsync", "MarkReadAsync", "MarkReadAsync"], cluster.Lost.Sent);
        }

        Assert.Equal("manual", (await agent.GetAsync()).DisabledReason);
        Assert.Equal([token.Id], (await alice.ListTokensAsync(new PageQuery())).Tokens.Select(t => t.Id));
    }

    [Fact]
    public async Task Reads_and_appends_with_a_client_message_id_are_sent_again_and_an_append_is_stored_once()
    {
        var (session, alice) = await cluster.SessionAsync();

        using (cluster.Lost.Begin())
        {
            Assert.Equal(0, (await session.GetAsync()).LastSeq);
            var appended = await session.AppendAsync(Text(alice, "msg-1"));
            Assert.Equal((1L, false), (appended.Message.Seq, appended.Created));
            Assert.Equal(["GetAsync", "GetAsync", "AppendAsync", "AppendAsync"], cluster.Lost.Sent);
        }

        Assert.Equal(1, (await session.GetAsync()).LastSeq);
    }

    [Fact]
    public async Task Other_calls_fail_with_the_lost_outcome_though_they_took_effect()
    {
        var (session, alice) = await cluster.SessionAsync();
        var participant = cluster.Grains.GetGrain<IParticipantGrain>(alice);

        using (cluster.Lost.Begin())
        {
            await Assert.ThrowsAsync<SiloUnavailableException>(() => participant.IssueTokenAsync(new IssueTokenCommand()));
            await Assert.ThrowsAsync<SiloUnavailableException>(() => session.AppendAsync(Text(alice, clientMessageId: null)));
            Assert.Equal(["IssueTokenAsync", "AppendAsync"], cluster.Lost.Sent);
        }

        Assert.Single((await participant.ListTokensAsync(new PageQuery())).Tokens);
        Assert.Equal(1, (await session.GetAsync()).LastSeq);
    }

    private static string Unique(string prefix) => ChatHttp.Unique(prefix);

    private static AppendMessageCommand Text(string senderId, string? clientMessageId) =>
        new(senderId, "text", JsonSerializer.SerializeToElement(new { text = "hi" }), null, clientMessageId, null);

    /// <summary>One silo, and a client with the cluster client's filter and <see cref="LostOutcomes"/> behind it.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        private LocalCluster? _cluster;
        private IHost? _client;

        public LostOutcomes Lost { get; } = new();

        public IGrainFactory Grains => _client!.Services.GetRequiredService<IClusterClient>();

        public async Task InitializeAsync()
        {
            _cluster = await LocalCluster.StartAsync(1, new Dictionary<string, string?> { ["Sessions__Webhooks__AllowLoopback"] = "true" });
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.UseOrleansClient(client => client
                .UseSessionsCluster(new ClusterClientOptions { ConnectionString = _cluster.ConnectionString, ClusterId = _cluster.ClusterId })
                .AddOutgoingGrainCallFilter(Lost)); // registered after RetrySafeCallFilter, so it runs inside it, nearer the wire
            _client = builder.Build();
            await _client.StartAsync();
        }

        public async Task<IParticipantGrain> ParticipantAsync(string prefix)
        {
            var participant = Grains.GetGrain<IParticipantGrain>(Unique(prefix));
            await participant.CreateAsync(new CreateParticipantCommand(ParticipantKind.Human));
            return participant;
        }

        /// <summary>A new session between two new participants, and its initiator's id.</summary>
        public async Task<(IChatSessionGrain Session, string Initiator)> SessionAsync()
        {
            var alice = (await (await ParticipantAsync("alice")).GetAsync()).Id;
            var bob = (await (await ParticipantAsync("bob")).GetAsync()).Id;
            var session = Grains.GetGrain<IChatSessionGrain>(Unique("session"));
            await session.CreateAsync(new CreateSessionCommand(alice, bob, null, "", null, null));
            return (session, alice);
        }

        public async Task DisposeAsync()
        {
            if (_client is not null)
            {
                await _client.StopAsync();
                _client.Dispose();
            }

            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// While <see cref="Begin"/>'s scope lasts, loses the first outcome of every call: the call runs, then its answer is
    /// replaced by the exception of a silo that died. <see cref="Sent"/> lists each time a call went out, by method.
    /// </summary>
    public sealed class LostOutcomes : IOutgoingGrainCallFilter
    {
        private readonly ConcurrentDictionary<IOutgoingGrainCallContext, byte> _lost = new(ReferenceEqualityComparer.Instance);
        private readonly ConcurrentQueue<string> _sent = new();
        private volatile bool _losing;

        public IReadOnlyList<string> Sent => [.. _sent];

        public IDisposable Begin()
        {
            _sent.Clear();
            _losing = true;
            return new Scope(this);
        }

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            await context.Invoke();
            if (_losing && context.InterfaceMethod?.DeclaringType?.Namespace == typeof(IParticipantGrain).Namespace)
            {
                _sent.Enqueue(context.MethodName);
                if (_lost.TryAdd(context, 0))
                {
                    throw new SiloUnavailableException($"The answer to {context.MethodName} was lost (by the test).");
                }
            }
        }

        private sealed class Scope(LostOutcomes outcomes) : IDisposable
        {
            public void Dispose() => outcomes._losing = false;
        }
    }
}
