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
    /// How often an append retries after finding that another activation extended the log first
    /// (possible only while two silos briefly both host the session).
    /// </summary>
    /// <value>10, with a growing pause between attempts (5 ms doubling, at most 100 ms), so a race lasting a
    /// membership change (about a second) is ridden out.</value>
    public int MaxAppendAttempts { get; set; } = 10;
}
