namespace Sessions.Storage.Deliveries;

/// <summary>
/// What an attempt means for its delivery, decided by the dispatcher (which owns the retry schedule):
/// <see cref="Succeeded"/>, <see cref="RetryAt"/> a time, or <see cref="Failed"/> (dead-lettered).
/// </summary>
public sealed record DeliveryOutcome
{
    private DeliveryOutcome(DeliveryStatus status, DateTimeOffset? nextAttemptAt) => (Status, NextAttemptAt) = (status, nextAttemptAt);

    /// <summary>The agent accepted the delivery.</summary>
    public static DeliveryOutcome Succeeded { get; } = new(DeliveryStatus.Succeeded, null);

    /// <summary>The delivery is given up: the schedule is exhausted or the answer is not worth retrying.</summary>
    public static DeliveryOutcome Failed { get; } = new(DeliveryStatus.Failed, null);

    /// <summary>The delivery stays pending; its next attempt is due at <see cref="NextAttemptAt"/>.</summary>
    public DeliveryStatus Status { get; }

    public DateTimeOffset? NextAttemptAt { get; }

    /// <summary>Try again at <paramref name="at"/>.</summary>
    public static DeliveryOutcome RetryAt(DateTimeOffset at) => new(DeliveryStatus.Pending, at);
}
