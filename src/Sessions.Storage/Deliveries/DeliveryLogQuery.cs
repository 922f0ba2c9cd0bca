namespace Sessions.Storage.Deliveries;

/// <summary>
/// A page of deliveries, newest first: an agent's (<see cref="AgentId"/>), a session's (<see cref="SessionId"/>) or,
/// with both, one agent's in one session; optionally only those in <see cref="Status"/>. <see cref="Cursor"/> is the
/// <see cref="DeliveryRowPage.NextCursor"/> of the page before (null: the first page).
/// </summary>
public sealed record DeliveryLogQuery(string? AgentId, string? SessionId, DeliveryStatus? Status, int Limit, string? Cursor = null)
{
    public static DeliveryLogQuery ByAgent(string agentId, int limit, DeliveryStatus? status = null, string? cursor = null) =>
        new(agentId, null, status, limit, cursor);

    public static DeliveryLogQuery BySession(string sessionId, int limit, DeliveryStatus? status = null, string? cursor = null) =>
        new(null, sessionId, status, limit, cursor);
}
