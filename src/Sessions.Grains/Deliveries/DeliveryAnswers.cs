using Sessions.Storage.Deliveries;

namespace Sessions.Grains;

/// <summary>The delivery log's rows as the contract answers them.</summary>
internal static class DeliveryAnswers
{
    public static Delivery ToDelivery(this DeliveryRow row) => new(
        row.Id,
        row.AgentId,
        row.SessionId,
        row.FirstSeq,
        row.LastSeq,
        row.Status,
        [.. row.Attempts.Select(ToAttempt)],
        row.AttemptCount,
        row.NextAttemptAt,
        row.LastError,
        row.CreatedAt,
        row.CompletedAt);

    private static DeliveryAttempt ToAttempt(DeliveryAttemptRow row) => new(
        row.Attempt, row.Trigger, row.StartedAt, row.FinishedAt, row.LatencyMs, row.HttpStatus, row.Error, row.ResponseExcerpt);
}
