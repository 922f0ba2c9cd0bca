using Sessions.Abstractions;

namespace Sessions.Gateway.Api.Deliveries;

/// <summary>A delivery as the HTTP API shows it, with its attempts, oldest first.</summary>
public sealed record DeliveryView(
    Guid Id,
    string AgentId,
    string SessionId,
    long FirstSeq,
    long LastSeq,
    DeliveryStatus Status,
    IReadOnlyList<DeliveryAttemptView> Attempts,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public static DeliveryView From(Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new DeliveryView(
            delivery.Id,
            delivery.AgentId,
            delivery.SessionId,
            delivery.FirstSeq,
            delivery.LastSeq,
            delivery.Status,
            [.. delivery.Attempts.Select(DeliveryAttemptView.From)],
            delivery.AttemptCount,
            delivery.NextAttemptAt,
            delivery.LastError,
            delivery.CreatedAt,
            delivery.CompletedAt);
    }
}
