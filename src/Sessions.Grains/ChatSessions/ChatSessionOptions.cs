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
}
