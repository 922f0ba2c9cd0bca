using Sessions.Abstractions;
using Sessions.Storage.Deliveries;

namespace Sessions.Testing;

/// <summary>
/// Writes deliveries and attempts straight to the <see cref="DeliveryStore"/>, to give the delivery log's readers
/// something to read (in the running system only the agent dispatcher writes the log). Attempts start at a fixed
/// epoch, a second apart, and take 40 ms.
/// </summary>
public class DeliveryLogWriter(DeliveryStore store)
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public DeliveryStore Store { get; } = store;

    public Task<DeliveryRow> DeliveryAsync(string agentId, string sessionId, long firstSeq, long? lastSeq = null) =>
        Store.CreateAsync(new NewDelivery(Guid.CreateVersion7(), agentId, sessionId, firstSeq, lastSeq ?? firstSeq), CancellationToken.None);

    /// <summary>Records attempt <paramref name="attempt"/>, 40 ms long, with the given answer and outcome.</summary>
    public async Task<DeliveryRow> AttemptAsync(
        DeliveryRow delivery, int attempt, int? httpStatus, DeliveryOutcome outcome, string? error = null, string? excerpt = null,
        DeliveryTrigger trigger = DeliveryTrigger.Scheduled)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var started = Epoch.AddSeconds(attempt);
        var record = new DeliveryAttemptRecord(delivery.Id, attempt, trigger, started, started.AddMilliseconds(40), 40, httpStatus, error, excerpt);
        return (await Store.RecordAttemptAsync(record, outcome, CancellationToken.None))!;
    }

    public async Task<DeliveryRow> FailedAsync(string agentId, string sessionId, long seq) =>
        await AttemptAsync(await DeliveryAsync(agentId, sessionId, seq), 1, 500, DeliveryOutcome.Failed);

    public async Task<DeliveryRow> SucceededAsync(string agentId, string sessionId, long seq) =>
        await AttemptAsync(await DeliveryAsync(agentId, sessionId, seq), 1, 200, DeliveryOutcome.Succeeded);
}
