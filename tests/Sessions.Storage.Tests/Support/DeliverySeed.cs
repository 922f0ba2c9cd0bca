using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Deliveries;

namespace Sessions.Storage.Tests.Support;

/// <summary>Agents in sessions of their own, and deliveries and attempts for them, through the real stores.</summary>
public sealed class DeliverySeed(NpgsqlDataSource dataSource)
{
    // Attempt times are whole milliseconds: timestamptz keeps microseconds, so these come back exactly as sent.
    private static readonly DateTimeOffset Epoch = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public Seed Seed { get; } = new(dataSource);

    public DeliveryStore Store { get; } = new(dataSource);

    /// <summary>A new agent participant in a new session (or in <paramref name="agentId"/>'s next session).</summary>
    public async Task<(string AgentId, string SessionId)> AgentInSessionAsync(string? agentId = null)
    {
        var agent = agentId ?? await Seed.ParticipantAsync(ParticipantKind.Agent);
        return (agent, (await Seed.SessionAsync(agentId: agent)).Id);
    }

    public static NewDelivery New(string agentId, string sessionId, long firstSeq, long? lastSeq = null) =>
        new(Guid.CreateVersion7(), agentId, sessionId, firstSeq, lastSeq ?? firstSeq);

    public Task<DeliveryRow> DeliveryAsync(string agentId, string sessionId, long firstSeq, long? lastSeq = null) =>
        Store.CreateAsync(New(agentId, sessionId, firstSeq, lastSeq), CancellationToken.None);

    /// <summary>Attempt <paramref name="attempt"/> of a delivery, answered with <paramref name="httpStatus"/> (null: no answer).</summary>
    public static DeliveryAttemptRecord Attempt(
        Guid deliveryId, int attempt, int? httpStatus = 500, string? error = null, string? excerpt = null, DeliveryTrigger trigger = DeliveryTrigger.Scheduled)
    {
        var started = Epoch.AddSeconds(attempt);
        return new DeliveryAttemptRecord(deliveryId, attempt, trigger, started, started.AddMilliseconds(25), 25, httpStatus, error, excerpt);
    }

    public Task<DeliveryRow?> RecordAsync(DeliveryAttemptRecord attempt, DeliveryOutcome outcome) =>
        Store.RecordAttemptAsync(attempt, outcome, CancellationToken.None);

    /// <summary>A delivery whose first attempt got a 500 and was given up: dead-lettered.</summary>
    public async Task<DeliveryRow> FailedAsync(string agentId, string sessionId, long seq)
    {
        var delivery = await DeliveryAsync(agentId, sessionId, seq);
        return (await RecordAsync(Attempt(delivery.Id, 1), DeliveryOutcome.Failed))!;
    }

    /// <summary>A delivery whose first attempt got a 200.</summary>
    public async Task<DeliveryRow> SucceededAsync(string agentId, string sessionId, long seq)
    {
        var delivery = await DeliveryAsync(agentId, sessionId, seq);
        return (await RecordAsync(Attempt(delivery.Id, 1, httpStatus: 200), DeliveryOutcome.Succeeded))!;
    }
}
