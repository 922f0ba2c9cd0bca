namespace Sessions.Storage.Deliveries;

/// <summary>What started an attempt. Stored as the lower-case name (<c>scheduled</c>, <c>manual</c>).</summary>
public enum DeliveryTrigger
{
    /// <summary>The dispatcher's own schedule: the first send or a retry.</summary>
    Scheduled,

    /// <summary>Someone asked for it again (a redelivery or the recovery of failed deliveries).</summary>
    Manual,
}
