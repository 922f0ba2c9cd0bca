using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Sessions.Storage.Deliveries;
using Sessions.Storage.Paging;
using Sessions.Storage.Participants;
using Sessions.Storage.Sessions;

namespace Sessions.Grains;

/// <summary>
/// The delivery log's reads and redeliveries (see <see cref="IDeliveryLogGrain"/>). The log spans sessions and is read
/// from its tables, so reading it wakes no session or dispatcher grain; a redelivery requeues in the log first, then
/// tells the session's dispatcher, which owns sending. A stateless worker: any silo answers, several at once.
/// </summary>
[StatelessWorker]
[GrainType("deliverylog")]
public sealed partial class DeliveryLogGrain(
    DeliveryStore deliveries,
    ParticipantStore participants,
    SessionStore sessions,
    IOptions<LimitsOptions> limits,
    ILogger<DeliveryLogGrain> logger) : Grain, IDeliveryLogGrain
{
    // The agent is the participant, not its webhook registration: the log outlives a registration that was removed.
    public Task<DeliveryPage> ListByAgentAsync(string agentId, DeliveryQuery query) => ListAsync(
        agentId,
        query ?? new DeliveryQuery(),
        (limit, status, cursor) => DeliveryLogQuery.ByAgent(agentId, limit, status, cursor),
        async () => await participants.GetAsync(agentId, CancellationToken.None) is not null,
        () => AgentNotFound(agentId));

    public Task<DeliveryPage> ListBySessionAsync(string sessionId, DeliveryQuery query) => ListAsync(
        sessionId,
        query ?? new DeliveryQuery(),
        (limit, status, cursor) => DeliveryLogQuery.BySession(sessionId, limit, status, cursor),
        async () => await sessions.GetAsync(sessionId, CancellationToken.None) is not null,
        () => SessionErrors.NotFound(sessionId));

    public async Task<Delivery> GetAsync(Guid deliveryId) =>
        (await deliveries.GetAsync(deliveryId, CancellationToken.None) ?? throw DeliveryNotFound(deliveryId)).ToDelivery();

    public async Task<Delivery> RedeliverAsync(Guid deliveryId)
    {
        var delivery = await deliveries.RequeueAsync(deliveryId, CancellationToken.None) ?? throw DeliveryNotFound(deliveryId);
        await GrainFactory.GetGrain<IAgentDispatcherGrain>(delivery.SessionId).RedeliverAsync(delivery.Id);
        LogRedelivered(logger, delivery.Id, delivery.SessionId);
        return delivery.ToDelivery();
    }

    public async Task<RecoveredDeliveries> RecoverAsync(string agentId, DateTimeOffset since)
    {
        if (!IdRule.IsValid(agentId, limits.Value) || await participants.GetAsync(agentId, CancellationToken.None) is null)
        {
            throw AgentNotFound(agentId);
        }

        // One more than the limit tells whether another call has more to do. Oldest first, so each session's
        // dispatcher is told in seq order.
        var limit = limits.Value.MaxPageSize;
        var failed = await deliveries.ListFailedSinceAsync(agentId, since, limit + 1, CancellationToken.None);
        var requeued = new List<Guid>(Math.Min(failed.Count, limit));
        foreach (var delivery in failed.Take(limit))
        {
            if (await deliveries.RequeueAsync(delivery.Id, CancellationToken.None) is not null)
            {
                await GrainFactory.GetGrain<IAgentDispatcherGrain>(delivery.SessionId).RedeliverAsync(delivery.Id);
                requeued.Add(delivery.Id);
            }
        }

        LogRecovered(logger, agentId, requeued.Count, since);
        return new RecoveredDeliveries(requeued.Count, requeued, failed.Count > limit);
    }

    private async Task<DeliveryPage> ListAsync(
        string? ownerId,
        DeliveryQuery query,
        Func<int, DeliveryStatus?, string?, DeliveryLogQuery> select,
        Func<Task<bool>> ownerExists,
        Func<SessionException> ownerNotFound)
    {
        var errors = new FieldErrors();
        if (query.Status is { } status && !Enum.IsDefined(status))
        {
            errors.Add("status", "status must be one of pending, succeeded, failed.");
        }

        var limit = PageRules.Limit(query.Limit, limits.Value, errors);
        errors.ThrowIfAny();
        if (!IdRule.IsValid(ownerId, limits.Value))
        {
            throw ownerNotFound();
        }

        var page = await PageRules.ReadAsync(() => deliveries.ListAsync(select(limit, query.Status, query.Cursor), CancellationToken.None));

        // A delivery references its agent and its session, so a page with any proves the owner exists: only an empty
        // page costs the second query.
        if (page.Deliveries.Count == 0 && !await ownerExists())
        {
            throw ownerNotFound();
        }

        return new DeliveryPage([.. page.Deliveries.Select(DeliveryAnswers.ToDelivery)], page.NextCursor);
    }

    private static SessionException AgentNotFound(string? agentId) =>
        new(SessionErrors.AgentNotFound, $"Agent '{agentId}' does not exist.");

    private static SessionException DeliveryNotFound(Guid deliveryId) =>
        new(SessionErrors.DeliveryNotFound, $"Delivery '{deliveryId}' does not exist.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} of session {SessionId} requeued by hand")]
    private static partial void LogRedelivered(ILogger logger, Guid deliveryId, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery of agent {AgentId}'s failed deliveries since {Since}: {Count} requeued")]
    private static partial void LogRecovered(ILogger logger, string agentId, int count, DateTimeOffset since);
}
