namespace Sessions.Storage.Deliveries;

/// <summary>
/// A delivery as stored, with every attempt so far, oldest first. <see cref="AttemptCount"/> is the number of the
/// latest attempt recorded; <see cref="NextAttemptAt"/> is set exactly while it is <see cref="DeliveryStatus.Pending"/>,
/// <see cref="CompletedAt"/> exactly while it is not. <see cref="LastError"/> describes the latest failed attempt
/// (its error, else its HTTP status) and is cleared by a success.
/// </summary>
public sealed record DeliveryRow(
    Guid Id,
    string AgentId,
    string SessionId,
    long FirstSeq,
    long LastSeq,
    DeliveryStatus Status,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<DeliveryAttemptRow> Attempts);
