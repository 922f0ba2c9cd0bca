namespace Sessions.Storage.Deliveries;

/// <summary>
/// The spelling of <see cref="DeliveryStatus"/> and <see cref="DeliveryTrigger"/> in the <c>webhook_deliveries.status</c>
/// and <c>webhook_attempts.trigger</c> columns (and their check constraints).
/// </summary>
internal static class DeliveryColumns
{
    public static string ToText(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Pending => "pending",
        DeliveryStatus.Succeeded => "succeeded",
        DeliveryStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown delivery status."),
    };

    public static DeliveryStatus ParseStatus(string text) => text switch
    {
        "pending" => DeliveryStatus.Pending,
        "succeeded" => DeliveryStatus.Succeeded,
        "failed" => DeliveryStatus.Failed,
        _ => throw new InvalidOperationException($"Unknown delivery status '{text}' in the database."),
    };

    public static string ToText(DeliveryTrigger trigger) => trigger switch
    {
        DeliveryTrigger.Scheduled => "scheduled",
        DeliveryTrigger.Manual => "manual",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "Unknown delivery trigger."),
    };

    public static DeliveryTrigger ParseTrigger(string text) => text switch
    {
        "scheduled" => DeliveryTrigger.Scheduled,
        "manual" => DeliveryTrigger.Manual,
        _ => throw new InvalidOperationException($"Unknown delivery trigger '{text}' in the database."),
    };
}
