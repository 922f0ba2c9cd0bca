namespace Sessions.Storage.Deliveries;

/// <summary>
/// One finished attempt at sending delivery <paramref name="DeliveryId"/>, numbered from 1 per delivery (manual
/// redeliveries continue the count). <paramref name="HttpStatus"/> is null when no answer came (network error,
/// timeout). <paramref name="Error"/> and <paramref name="ResponseExcerpt"/> are cut by the store to
/// <see cref="DeliveryStore.MaxErrorBytes"/> and <see cref="DeliveryStore.MaxResponseExcerptBytes"/> of UTF-8.
/// </summary>
public sealed record DeliveryAttemptRecord(
    Guid DeliveryId,
    int Attempt,
    DeliveryTrigger Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    int LatencyMs,
    int? HttpStatus,
    string? Error,
    string? ResponseExcerpt);
