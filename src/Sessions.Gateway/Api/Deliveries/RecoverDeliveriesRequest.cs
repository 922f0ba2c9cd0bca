namespace Sessions.Gateway.Api.Deliveries;

/// <summary>The body of <c>POST /api/agents/{id}/deliveries/recover</c>: send again every failed delivery created since <see cref="Since"/>.</summary>
public sealed class RecoverDeliveriesRequest
{
    public DateTimeOffset? Since { get; init; }
}

/// <summary>
/// What a recovery requeued: how many deliveries and their ids. <paramref name="More"/> says the call stopped at its
/// limit (<c>MaxPageSize</c>) and another call recovers the rest.
/// </summary>
public sealed record RecoveredDeliveries(int Requeued, IReadOnlyList<Guid> DeliveryIds, bool More);
