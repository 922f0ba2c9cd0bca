using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// Delivers a session's new messages to the webhook of the session's agent: one grain per session (its key is the
/// session id), fed by the session's message stream (<see cref="AgentDispatchStreams"/>), one delivery in flight at a
/// time, retried on grain timers, woken by a reminder while it has work. Callers only wake it or ask how far it is.
/// </summary>
[Alias("Sessions.IAgentDispatcherGrain")]
public interface IAgentDispatcherGrain : IGrainWithStringKey
{
    /// <summary>Look at the session's log now (a lost stream notice, a redelivery, a re-enabled agent).</summary>
    [Alias("WakeAsync")]
    Task WakeAsync();

    /// <summary>
    /// Sends delivery <paramref name="deliveryId"/> of this session again (it must already be requeued as pending in the
    /// delivery log), after the delivery in flight, with a fresh retry schedule; its first attempt is logged as manual.
    /// </summary>
    [Alias("RedeliverAsync")]
    Task RedeliverAsync(Guid deliveryId);

    /// <summary>Where the dispatcher stands: its cursor and the delivery in flight, if any.</summary>
    [ReadOnly, Alias("GetStatusAsync")]
    Task<DispatcherStatus> GetStatusAsync();
}

/// <summary>
/// <paramref name="DeliveredThroughSeq"/>: every message up to it is in some delivery (sent, or failed for good).
/// <paramref name="DeliveryId"/>: the delivery in flight or waiting for its next attempt, if any.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.DispatcherStatus")]
public sealed record DispatcherStatus(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string? AgentId,
    [property: Id(2)] long DeliveredThroughSeq,
    [property: Id(3)] Guid? DeliveryId,
    [property: Id(4)] int Attempt,
    [property: Id(5)] DateTimeOffset? NextAttemptAt);
