using Sessions.Storage.Deliveries;

namespace Sessions.Gateway.Api.Deliveries;

/// <summary>A delivery as the HTTP API shows it: the stored row with its attempts, oldest first.</summary>
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
    public static DeliveryView From(DeliveryRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new DeliveryView(
            row.Id,
            row.AgentId,
            row.SessionId,
            row.FirstSeq,
            row.LastSeq,
            row.Status,
            [.. row.Attempts.Select(DeliveryAttemptView.From)],
            row.AttemptCount,
            row.NextAttemptAt,
            row.LastError,
            row.CreatedAt,
            row.CompletedAt);
    }
}
