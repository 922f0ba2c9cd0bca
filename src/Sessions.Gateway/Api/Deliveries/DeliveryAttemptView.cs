using Sessions.Abstractions;

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
    public static DeliveryAttemptView From(DeliveryAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new DeliveryAttemptView(
            attempt.Attempt, attempt.Trigger, attempt.StartedAt, attempt.FinishedAt, attempt.LatencyMs, attempt.HttpStatus, attempt.Error, attempt.ResponseExcerpt);
    }
}
