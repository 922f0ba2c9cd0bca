namespace Sessions.Gateway.Api.Deliveries;

/// <summary>The body of <c>POST /api/agents/{id}/deliveries/recover</c>: send again every failed delivery created since <see cref="Since"/>.</summary>
public sealed class RecoverDeliveriesRequest
{
    public DateTimeOffset? Since { get; init; }
}
