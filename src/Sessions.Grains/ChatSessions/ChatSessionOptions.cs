namespace Sessions.Grains;

/// <summary>Options of chat session grains, bound from the configuration section <c>Sessions:ChatSession</c>.</summary>
public sealed class ChatSessionOptions
{
    public const string SectionName = "Sessions:ChatSession";

    /// <summary>How many of the newest messages each active session keeps in memory.</summary>
    /// <value>256.</value>
    public int TailCacheSize { get; set; } = 256;

    /// <summary>The session kind used when a create request names none.</summary>
    /// <value><c>chat</c>.</value>
    public string DefaultKind { get; set; } = "chat";

    /// <summary>
    /// How many times an append is tried when it keeps finding the session's log extended by another writer (possible
    /// only if two activations of the session ever ran at once). After the first lost race the append asks the database
    /// for the next seq instead of naming one, so a second attempt normally succeeds; the bound guards the unforeseen.
    /// </summary>
    /// <value>10.</value>
    public int MaxAppendAttempts { get; set; } = 10;

    /// <summary>
    /// How long a gateway's subscription to the session's events lasts unless renewed. Gateways renew well within it
    /// (<c>Sessions:Realtime:ResubscribePeriod</c>); an expired observer (its silo gone) is dropped at the next event.
    /// </summary>
    /// <value>1 minute.</value>
    public TimeSpan ObserverExpiry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A streamed reply that gets no chunk for this long is ended as aborted (reason <c>abandoned</c>).</summary>
    /// <value>30 seconds.</value>
    public TimeSpan ReplyIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the session's housekeeping runs while it has replies in flight or participants online: it saves the
    /// text of replies in flight (what survives a silo loss), ends abandoned replies and marks silent participants offline.
    /// </summary>
    /// <value>1 second.</value>
    public TimeSpan HousekeepingPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A participant without a heartbeat (WebSocket activity, typing, or an explicit one) for this long is offline.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan PresenceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The shortest interval between two typing events of one participant; more are dropped.</summary>
    /// <value>1 second.</value>
    public TimeSpan TypingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An active session with no message and no status change for this long becomes <c>idle</c> (the next message
    /// makes it active again). Checked while the session is in memory and when it is activated, so a session whose
    /// grain was collected becomes idle when it is next used or listed through its grain.
    /// </summary>
    /// <value>10 minutes.</value>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(10);
}
