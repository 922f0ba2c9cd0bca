using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// The delivery log of agent webhooks: every delivery with its attempts, read by agent, by session or by id, and sent
/// again by hand. The agent dispatchers write it; this grain reads it and requeues deliveries, then tells the
/// session's dispatcher, which sends them after the delivery it has in flight with a fresh retry schedule (the first
/// attempt logged as <see cref="DeliveryTrigger.Manual"/>). A stateless worker: call it with key 0.
/// </summary>
[Alias("Sessions.IDeliveryLogGrain")]
public interface IDeliveryLogGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// A page of the agent's deliveries, newest first. Fails with <see cref="SessionErrors.AgentNotFound"/> when no
    /// participant has that id (the log outlives a registration that was deleted).
    /// </summary>
    [ReadOnly, Alias("ListByAgentAsync")]
    Task<DeliveryPage> ListByAgentAsync(string agentId, DeliveryQuery query);

    /// <summary>A page of the session's deliveries, newest first; fails with <see cref="SessionErrors.SessionNotFound"/>.</summary>
    [ReadOnly, Alias("ListBySessionAsync")]
    Task<DeliveryPage> ListBySessionAsync(string sessionId, DeliveryQuery query);

    /// <summary>One delivery with its attempts; fails with <see cref="SessionErrors.DeliveryNotFound"/>.</summary>
    [ReadOnly, Alias("GetAsync")]
    Task<Delivery> GetAsync(Guid deliveryId);

    /// <summary>
    /// Marks the delivery pending again and has its session's dispatcher send it; returns it as requeued. Fails with
    /// <see cref="SessionErrors.DeliveryNotFound"/>.
    /// </summary>
    [Alias("RedeliverAsync")]
    Task<Delivery> RedeliverAsync(Guid deliveryId);

    /// <summary>
    /// Redelivers every failed delivery of the agent created at or after <c>since</c>, oldest first, at most
    /// <see cref="LimitsOptions.MaxPageSize"/> per call (<see cref="RecoveredDeliveries.More"/> says another call is
    /// needed). Fails with <see cref="SessionErrors.AgentNotFound"/>.
    /// </summary>
    [Alias("RecoverAsync")]
    Task<RecoveredDeliveries> RecoverAsync(string agentId, DateTimeOffset since);
}

/// <summary>
/// A page request over the delivery log: only deliveries in <see cref="Status"/> when it is set (an undefined status is
/// a <see cref="SessionErrors.Validation"/> error on <c>status</c>, named together with a bad <c>limit</c>); see
/// <see cref="PageQuery"/> for the cursor and the limit. A bad query is refused before the agent or session is looked up.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.DeliveryQuery")]
public sealed record DeliveryQuery(
    [property: Id(0)] DeliveryStatus? Status = null,
    [property: Id(1)] string? Cursor = null,
    [property: Id(2)] int? Limit = null);

/// <summary>A page of deliveries, newest first; pass <see cref="NextCursor"/> as the next query's cursor (null: the last page).</summary>
[GenerateSerializer, Immutable, Alias("Sessions.DeliveryPage")]
public sealed record DeliveryPage(
    [property: Id(0)] IReadOnlyList<Delivery> Deliveries,
    [property: Id(1)] string? NextCursor);

/// <summary>What a recovery requeued, and whether it stopped at its limit with more to recover.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.RecoveredDeliveries")]
public sealed record RecoveredDeliveries(
    [property: Id(0)] int Requeued,
    [property: Id(1)] IReadOnlyList<Guid> DeliveryIds,
    [property: Id(2)] bool More);
