namespace Sessions.Storage.Deliveries;

/// <summary>One attempt of a delivery as stored (see <see cref="DeliveryAttemptRecord"/>).</summary>
public sealed record DeliveryAttemptRow(
    int Attempt,
    DeliveryTrigger Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    int LatencyMs,
    int? HttpStatus,
    string? Error,
    string? ResponseExcerpt);
