using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// One connection's subscription to one session (<c>session:{id}</c>). The feed offers it events from any thread; the
/// connection's writer alone reads and moves <see cref="LastSent"/>, which is what makes resume exact: a message is
/// written only if its seq is exactly the next one, older ones are dropped as duplicates, and a jump ahead makes the
/// writer read the gap from the grain first.
/// </summary>
internal sealed class SessionTopic(string sessionId, RealtimeConnection connection, long afterSeq) : ISessionSink
{
    public const string Prefix = "session:";

    public string SessionId { get; } = sessionId;

    public string Name { get; } = Prefix + sessionId;

    /// <summary>The seq of the last message written to the client (the resume cursor it gave, at first).</summary>
    public long LastSent { get; set; } = afterSeq;

    /// <summary>False until the writer sent the confirmation; events before it are held back as a seq to reach.</summary>
    public bool Started { get; set; }

    /// <summary>The highest seq offered before the start, so the replay goes at least that far.</summary>
    public long SeenBeforeStart { get; set; }

    /// <summary>The replies in flight the client has seen, each with the index of the next chunk it is owed.</summary>
    public Dictionary<string, int> Replies { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when the client unsubscribed: whatever is still queued for the topic is dropped.</summary>
    public volatile bool Ended;

    public void OnEvent(SessionEvent sessionEvent) => connection.Enqueue(new TopicEvent(this, sessionEvent));

    public void OnHead(long lastSeq) => connection.Enqueue(new TopicHead(this, lastSeq));
}
