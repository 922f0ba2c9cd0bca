using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// One chat session, keyed by its id. It owns the order of the session's messages: every append gets
/// the next <c>seq</c> and is acknowledged only after it is committed. Refusals are <see cref="SessionException"/>s.
/// Reads are <see cref="ReadOnlyAttribute">read-only</see>: safe to send again, and they may run alongside each other.
/// </summary>
[Alias("Sessions.IChatSessionGrain")]
public interface IChatSessionGrain : IGrainWithStringKey
{
    /// <summary>Creates the session; fails with <see cref="SessionErrors.SessionAlreadyExists"/> if it exists.</summary>
    [Alias("CreateAsync")]
    Task<ChatSession> CreateAsync(CreateSessionCommand command);

    /// <summary>The session as it is now; fails with <see cref="SessionErrors.SessionNotFound"/>.</summary>
    [ReadOnly, Alias("GetAsync")]
    Task<ChatSession> GetAsync();

    /// <summary>Appends a message (or returns the original for a replayed client_message_id).</summary>
    [Alias("AppendAsync")]
    Task<AppendResult> AppendAsync(AppendMessageCommand command);

    /// <summary>
    /// The same append as <see cref="AppendAsync"/>, answered in wire form: the stored message's JSON as its tail cache
    /// holds it, so the gateway answers with those bytes without serializing the message again (or, from another silo,
    /// parsing its content). Retry-safe exactly when the command is (<see cref="AppendMessageCommand.IsRetrySafe"/>).
    /// </summary>
    [Alias("AppendJsonAsync")]
    Task<AppendResultJson> AppendJsonAsync(AppendMessageCommand command);

    /// <summary>Reads a page of the log, from the tail cache when it covers the page.</summary>
    [ReadOnly, Alias("ListMessagesAsync")]
    Task<MessagePage> ListMessagesAsync(MessageQuery query);

    /// <summary>
    /// The same page as <see cref="ListMessagesAsync"/>, in its wire form: the JSON an HTTP response carries, written
    /// from messages the tail cache holds serialized, so the gateway can pass it on without parsing it.
    /// </summary>
    [ReadOnly, Alias("ListMessagesJsonAsync")]
    Task<MessagePageJson> ListMessagesJsonAsync(MessageQuery query);

    /// <summary>Moves the session to <paramref name="status"/>; an illegal move fails with <see cref="SessionErrors.InvalidTransition"/>.</summary>
    [Alias("ChangeStatusAsync")]
    Task<ChatSession> ChangeStatusAsync(SessionStatus status);

    /// <summary>
    /// Subscribes <paramref name="observer"/> to the session's events, or renews its subscription, which expires
    /// (<c>Sessions:ChatSession:ObserverExpiry</c>) unless renewed; fails with <see cref="SessionErrors.SessionNotFound"/>.
    /// </summary>
    [Alias("SubscribeAsync")]
    Task<SessionSubscription> SubscribeAsync(ISessionObserver observer);

    /// <summary>Ends <paramref name="observer"/>'s subscription; nothing happens if it has none.</summary>
    [Alias("UnsubscribeAsync")]
    Task UnsubscribeAsync(ISessionObserver observer);

    /// <summary>Opens a streamed reply; subscribers see it and each chunk live, and get all chunks so far when they join.</summary>
    [Alias("StartReplyAsync")]
    Task<Reply> StartReplyAsync(StartReplyCommand command);

    /// <summary>Adds a chunk to a streamed reply of the caller's.</summary>
    [Alias("AppendChunkAsync")]
    Task<ChunkAck> AppendChunkAsync(string replyId, AppendChunkCommand command);

    /// <summary>Finalizes a streamed reply into one ordinary message (with a seq).</summary>
    [Alias("FinishReplyAsync")]
    Task<AppendResult> FinishReplyAsync(string replyId, FinishReplyCommand command);

    /// <summary>Stops a streamed reply: it ends aborted, its text so far kept as a message.</summary>
    [Alias("StopReplyAsync")]
    Task<Reply> StopReplyAsync(string replyId, StopReplyCommand command);

    /// <summary>The replies in flight with their chunks so far, then the few that ended most recently, newest first, with all their chunks.</summary>
    [ReadOnly, Alias("ListRepliesAsync")]
    Task<IReadOnlyList<Reply>> ListRepliesAsync();

    /// <summary>
    /// Tells subscribers that <paramref name="participantId"/> started or stopped typing. Ephemeral, and rate-limited per
    /// participant: a start within <c>TypingInterval</c> of the last one is dropped (false). Counts as a heartbeat.
    /// </summary>
    [Alias("SetTypingAsync")]
    Task<bool> SetTypingAsync(string participantId, bool typing);

    /// <summary>
    /// Tells subscribers that the session's agent started (<paramref name="working"/>) or stopped working on delivery
    /// <paramref name="deliveryId"/>. Sent by the agent's dispatcher; ephemeral.
    /// </summary>
    [OneWay, Alias("SetAgentTurnAsync")]
    Task SetAgentTurnAsync(string agentId, bool working, Guid deliveryId);

    /// <summary>A presence heartbeat: the member is online until <c>PresenceTimeout</c> passes without another.</summary>
    [Alias("HeartbeatAsync")]
    Task<IReadOnlyList<PresenceEntry>> HeartbeatAsync(string participantId);

    /// <summary>Every member of the session, online or not.</summary>
    [ReadOnly, Alias("GetPresenceAsync")]
    Task<IReadOnlyList<PresenceEntry>> GetPresenceAsync();
}
