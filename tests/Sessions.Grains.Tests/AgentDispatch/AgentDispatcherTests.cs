using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Sessions.Grains.Webhooks;
using Sessions.Storage;
using Sessions.Storage.Agents;
using Sessions.Storage.Deliveries;
using Sessions.Testing.Webhooks;

namespace Sessions.Grains.Tests;

/// <summary>
/// The agent dispatcher in a silo whose grains run on a fake clock: messages appended to a session with an agent go
/// to a webhook sink on loopback, and every wait of the dispatcher (retry backoff, debounce) passes only when the test
/// moves the clock. Orleans drives the stream pulling agents that carry the sessions' notices with the same clock, so a
/// notice reaches its dispatcher only as the clock moves past a poll period; the tests that hold the clock still wake
/// the dispatcher themselves, as a notice would. Agents are registered straight in the agents table.
/// </summary>
public sealed class AgentDispatcherTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Sessions:Webhooks:AllowLoopback"] = "true",
        // Attempts fail here on purpose; circuits have tests of their own.
        ["Sessions:Webhooks:CircuitBreaker:MinimumThroughput"] = "100000",
    };

    private static readonly TimeSpan NoticePollPeriod = new WebhookOptions().NoticePollPeriod;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private NpgsqlDataSource _dataSource = null!;
    private WebhookSink _sink = null!;

    public async Task InitializeAsync()
    {
        _dataSource = SessionsDataSource.Create(database.ConnectionString);
        _sink = await WebhookSink.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    [Fact]
    public async Task Messages_reach_the_agent_in_seq_order_and_the_status_follows_the_cursor()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, Settings, clock: _clock);
        var (grain, session) = await CreateSessionWithAgentAsync(silo, new AgentSettings());
        var agent = session.AgentId!;

        await grain.AppendAsync(Messages.Text(session.InitiatorId, "one"));
        await grain.AppendAsync(Messages.Text(session.PeerId, "two"));
        await grain.AppendAsync(Messages.Text(session.InitiatorId, "three"));
        await grain.AppendAsync(Messages.Text(agent, "the agent's own"));
        await grain.AppendAsync(Messages.Text(session.PeerId, "five"));

        var dispatcher = silo.Grains.GetGrain<IAgentDispatcherGrain>(session.Id);
        await Eventually.TrueAsync(
            async () =>
            {
                // The notices wait in their queues until the pulling agents poll, a poll period later on the grains' clock.
                _clock.Advance(NoticePollPeriod);
                return (await dispatcher.GetStatusAsync()).DeliveredThroughSeq == 5;
            },
            "the cursor is past seq 5");
        Assert.Equal(new DispatcherStatus(session.Id, agent, 5, null, 0, null), await dispatcher.GetStatusAsync());

        // However the messages were grouped, each went once, in seq order, and none of the agent's own went back to it.
        var received = _sink.Received;
        Assert.Equal([1L, 2, 3, 5], received.SelectMany(r => r.Seqs));
        Assert.All(received, r => Assert.Equal((agent, session.Id), (r.AgentId, r.SessionId)));
        Assert.Equal(received.Count, received.Select(r => r.WebhookId).Distinct().Count());
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_when_the_clock_reaches_its_backoff_and_not_before()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, Settings, clock: _clock);
        var (grain, session) = await CreateSessionWithAgentAsync(silo, new AgentSettings(MaxAttempts: 3, RetryBaseDelayMs: 10_000, RetryMaxDelayMs: 60_000));
        var answers = 0;
        _sink.Behavior = _ => Interlocked.Increment(ref answers) == 1 ? SinkAnswer.Fail(503) : SinkAnswer.Ok();
        var failedAt = _clock.GetUtcNow();

        await grain.AppendAsync(Messages.Text(session.InitiatorId, "hello"));
        var dispatcher = silo.Grains.GetGrain<IAgentDispatcherGrain>(session.Id);
        await dispatcher.WakeAsync();
        var waiting = await Eventually.ReturnsAsync(
            async () => await dispatcher.GetStatusAsync() is { Attempt: 1, NextAttemptAt: not null } status ? status : null, "the first attempt failed");

        // After the first failure the wait is drawn from [base / 2, base] (equal jitter), counted on the grains' clock.
        var retryAt = waiting.NextAttemptAt!.Value;
        Assert.InRange(retryAt - failedAt, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.Equal((session.Id, session.AgentId, 1L), (waiting.SessionId, waiting.AgentId, waiting.DeliveredThroughSeq));

        // What arrives meanwhile waits for the delivery in flight.
        await grain.AppendAsync(Messages.Text(session.PeerId, "meanwhile"));

        // Just before it is due, even a wake-up finds nothing to do: the wake runs a turn before the status is read.
        // (A millisecond: the timers count whole milliseconds.)
        _clock.SetUtcNow(retryAt - TimeSpan.FromMilliseconds(1));
        await dispatcher.WakeAsync();
        Assert.Equal(waiting, await dispatcher.GetStatusAsync());
        Assert.Single(_sink.Received);

        _clock.SetUtcNow(retryAt);
        await Eventually.TrueAsync(
            async () => await dispatcher.GetStatusAsync() is { DeliveredThroughSeq: 2, DeliveryId: null }, "the retry and the next delivery went out");
        Assert.Equal([[1L], [1L], [2L]], _sink.Received.Select(r => r.Seqs));
        Assert.Equal(_sink.Received[0].WebhookId, _sink.Received[1].WebhookId);
        Assert.NotEqual(_sink.Received[1].WebhookId, _sink.Received[2].WebhookId);
        var delivery = await new DeliveryStore(_dataSource).GetAsync(waiting.DeliveryId!.Value, CancellationToken.None);
        Assert.Equal((DeliveryStatus.Succeeded, 2), (delivery!.Status, delivery.AttemptCount));
        Assert.Equal([(1, Stored(failedAt), (int?)503), (2, Stored(retryAt), 200)], delivery.Attempts.Select(a => (a.Attempt, a.StartedAt, a.HttpStatus)));
    }

    [Fact]
    public async Task A_debounced_agent_gets_the_messages_of_a_busy_spell_in_one_delivery_once_it_is_quiet()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, Settings, clock: _clock);
        var debounce = TimeSpan.FromSeconds(2);
        var (grain, session) = await CreateSessionWithAgentAsync(silo, new AgentSettings(DebounceMs: (int)debounce.TotalMilliseconds));

        await grain.AppendAsync(Messages.Text(session.InitiatorId, "one"));
        await grain.AppendAsync(Messages.Text(session.PeerId, "two"));
        var last = (await grain.AppendAsync(Messages.Text(session.InitiatorId, "three"))).Message;

        // Messages carry the database's time; the spell is quiet once the last of them is a debounce old on the grains' clock.
        var dispatcher = silo.Grains.GetGrain<IAgentDispatcherGrain>(session.Id);
        _clock.SetUtcNow(last.CreatedAt + debounce - TimeSpan.FromMilliseconds(1));
        await dispatcher.WakeAsync();
        Assert.Equal(0, (await dispatcher.GetStatusAsync()).DeliveredThroughSeq);
        Assert.Empty(_sink.Received);

        _clock.SetUtcNow(last.CreatedAt + debounce);
        await Eventually.TrueAsync(async () => (await dispatcher.GetStatusAsync()).DeliveredThroughSeq == 3, "the spell went out");
        Assert.Equal([1L, 2, 3], Assert.Single(_sink.Received).Seqs);
    }

    /// <summary><paramref name="time"/> as PostgreSQL keeps it, to the microsecond.</summary>
    private static DateTimeOffset Stored(DateTimeOffset time) => time.AddTicks(-(time.Ticks % 10));

    /// <summary>A session whose agent's webhook is the sink, with <paramref name="settings"/>.</summary>
    private async Task<(IChatSessionGrain Grain, ChatSession Session)> CreateSessionWithAgentAsync(ChatSilo silo, AgentSettings settings)
    {
        var (grain, session) = await silo.CreateSessionAsync(withAgent: true);
        var agent = session.AgentId!;
        var registered = await new AgentStore(_dataSource).CreateAsync(
            new NewAgent(agent, _sink.UrlOf(agent).ToString(), WebhookSecret.Generate(), settings), CancellationToken.None);
        Assert.IsType<AgentCreateOutcome.Created>(registered);
        return (grain, session);
    }
}
