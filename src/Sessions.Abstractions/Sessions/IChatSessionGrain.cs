using Sessions.Actors;

namespace Sessions.Abstractions;

/// <summary>
/// One chat session, keyed by its id. It owns the order of the session's messages: every append gets
/// the next <c>seq</c> and is acknowledged only after it is committed.
/// </summary>
public interface IChatSessionGrain : IGrainWithStringKey
{
    /// <summary>Creates the session; fails with <see cref="SessionErrors.SessionAlreadyExists"/> if it exists.</summary>
    Task<ChatSession> CreateAsync(CreateSessionCommand command);

    /// <summary>The session as it is now; fails with <see cref="SessionErrors.SessionNotFound"/>.</summary>
    [Idempotent]
    Task<ChatSession> GetAsync();

    /// <summary>Appends a message (or returns the original for a replayed client_message_id).</summary>
    Task<AppendResult> AppendAsync(AppendMessageCommand command);

    /// <summary>Reads a page of the log, from the tail cache when it covers the page.</summary>
    [Idempotent]
    Task<MessagePage> ListMessagesAsync(MessageQuery query);

    /// <summary>
    /// The same page as <see cref="ListMessagesAsync"/>, in its wire form: the JSON an HTTP response carries, written
    /// from messages the tail cache holds serialized, so the gateway can pass it on without parsing it.
    /// </summary>
    [Idempotent]
    Task<Serialized<MessagePage>> ListMessagesJsonAsync(MessageQuery query);

    /// <summary>Moves the session to <paramref name="status"/>; an illegal move fails with <see cref="SessionErrors.InvalidTransition"/>.</summary>
    Task<ChatSession> ChangeStatusAsync(SessionStatus status);

    /// <summary>
    /// Sent by an activation of this session on another silo as it hands the session over: the log reaches at least
    /// <paramref name="lastSeq"/>. An activation that loaded before that silo's last append (possible only while
    /// silos disagree about the cluster) reloads, so its tail cache misses nothing. Safe to repeat.
    /// </summary>
    [Idempotent]
    Task CatchUpAsync(long lastSeq);
}
