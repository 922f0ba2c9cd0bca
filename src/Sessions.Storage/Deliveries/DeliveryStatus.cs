namespace Sessions.Storage.Deliveries;

/// <summary>Where a delivery stands. Stored as the lower-case name (<c>pending</c>, <c>succeeded</c>, <c>failed</c>).</summary>
public enum DeliveryStatus
{
    /// <summary>Not yet accepted by the agent; the next attempt is due at <see cref="DeliveryRow.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>The agent accepted it (a 2xx).</summary>
    Succeeded,

    /// <summary>Dead-lettered: the retry schedule ran out, or the agent gave an answer not worth retrying.</summary>
    Failed,
}
