using Sessions.Storage.Deliveries;

namespace Sessions.Gateway.Api.Deliveries;

/// <summary>One attempt of a delivery as the HTTP API shows it; <c>http_status</c> is null when no answer came.</summary>
public sealed record DeliveryAttemptView(
    int Attempt,
    DeliveryTrigger Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    int LatencyMs,
    int? HttpStatus,
    string? Error,
    string? ResponseExcerpt)
{
    public static DeliveryAttemptView From(DeliveryAttemptRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new DeliveryAttemptView(
            row.Attempt, row.Trigger, row.StartedAt, row.FinishedAt, row.LatencyMs, row.HttpStatus, row.Error, row.ResponseExcerpt);
    }
}
