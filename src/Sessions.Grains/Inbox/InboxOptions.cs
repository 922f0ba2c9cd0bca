namespace Sessions.Grains;

/// <summary>Options of inbox grains, bound from the configuration section <c>Sessions:Inbox</c>.</summary>
public sealed class InboxOptions
{
    public const string SectionName = "Sessions:Inbox";

    /// <summary>
    /// How often an active inbox rereads the heads of its sessions and rebuilds the entries that differ, which repairs
    /// what a notice lost with a failing silo left out.
    /// </summary>
    /// <value>30 seconds.</value>
    public TimeSpan ReconcilePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an observer's subscription lasts unless renewed; subscribers renew at under half of it.</summary>
    /// <value>60 seconds.</value>
    public TimeSpan ObserverExpiry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest last-message preview, in UTF-16 code units.</summary>
    /// <value>200.</value>
    public int MaxPreviewLength { get; set; } = 200;

    /// <summary>How many entries (the newest) a subscription's snapshot carries; the rest are paged with ListAsync.</summary>
    /// <value>200.</value>
    public int SnapshotSize { get; set; } = 200;
}
