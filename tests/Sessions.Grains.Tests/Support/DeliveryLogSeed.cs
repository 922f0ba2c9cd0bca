using Sessions.Storage.Deliveries;

namespace Sessions.Grains.Tests;

/// <summary>
/// Participants and sessions made through the grains, and deliveries written straight to the <see cref="DeliveryStore"/>
/// (in the running system only the agent dispatcher writes the log).
/// </summary>
internal sealed class DeliveryLogSeed(SiloFixture fixture)
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public DeliveryStore Store => fixture.Deliveries;

    public async Task<string> ParticipantAsync(string prefix, ParticipantKind kind = ParticipantKind.Human)
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        await fixture.Silo.Participants.TryInsertAsync(id, kind, null, null, CancellationToken.None);
        return id;
    }

    /// <summary>A session between two new humans with <paramref name="agentId"/> (a new agent participant when null) as its agent.</summary>
    public async Task<(string AgentId, string SessionId)> AgentInSessionAsync(string? agentId = null)
    {
        agentId ??= await ParticipantAsync("agent", ParticipantKind.Agent);
        var sessionId = $"s-{Guid.NewGuid():N}";
        var command = new CreateSessionCommand(await ParticipantAsync("alice"), await ParticipantAsync("bob"), agentId, "", null, null);
        await fixture.Grains.GetGrain<IChatSessionGrain>(sessionId).CreateAsync(command);
        return (agentId, sessionId);
    }

    public Task<DeliveryRow> DeliveryAsync(string agentId, string sessionId, long firstSeq, long? lastSeq = null) =>
        Store.CreateAsync(new NewDelivery(Guid.CreateVersion7(), agentId, sessionId, firstSeq, lastSeq ?? firstSeq), CancellationToken.None);

    /// <summary>Records attempt <paramref name="attempt"/>, 40 ms long, with the given answer and outcome.</summary>
    public async Task<DeliveryRow> AttemptAsync(
        DeliveryRow delivery, int attempt, int? httpStatus, DeliveryOutcome outcome, string? error = null, string? excerpt = null,
        DeliveryTrigger trigger = DeliveryTrigger.Scheduled)
    {
        var started = Epoch.AddSeconds(attempt);
        var record = new DeliveryAttemptRecord(delivery.Id, attempt, trigger, started, started.AddMilliseconds(40), 40, httpStatus, error, excerpt);
        return (await Store.RecordAttemptAsync(record, outcome, CancellationToken.None))!;
    }

    public async Task<DeliveryRow> FailedAsync(string agentId, string sessionId, long seq) =>
        await AttemptAsync(await DeliveryAsync(agentId, sessionId, seq), 1, 500, DeliveryOutcome.Failed);

    public async Task<DeliveryRow> SucceededAsync(string agentId, string sessionId, long seq) =>
        await AttemptAsync(await DeliveryAsync(agentId, sessionId, seq), 1, 200, DeliveryOutcome.Succeeded);
}
