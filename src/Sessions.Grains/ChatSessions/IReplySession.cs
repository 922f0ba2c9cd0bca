namespace Sessions.Grains;

/// <summary>
/// What a session's <see cref="StreamedReplies"/> may ask of the session that owns them: where its log ends, whether it
/// still takes messages, and the session's own append, replay lookup and publication. The grain implements it, so a
/// reply's message goes through the one append path (ordering, database fence, tail cache, notices) like any other.
/// </summary>
internal interface IReplySession
{
    string Id { get; }

    /// <summary>The seq of the session's newest message, which every reply event carries.</summary>
    long LastSeq { get; }

    /// <summary>Whether the session's status still takes messages (an aborted reply keeps its text only then).</summary>
    bool AcceptsMessages { get; }

    /// <summary>Appends a message as <see cref="IChatSessionGrain.AppendAsync"/> does.</summary>
    Task<AppendResult> AppendAsync(AppendMessageCommand command);

    /// <summary>The message stored under <paramref name="clientMessageId"/>, if any (how a finished reply's message is found again).</summary>
    Task<ChatMessage?> FindMessageAsync(string clientMessageId);

    /// <summary>Tells the session's subscribers.</summary>
    void Publish(SessionEvent sessionEvent);
}
