using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// One participant's inbox, keyed by the participant's id: every session the participant is in (as initiator, peer or
/// agent), newest activity first, with its unread count and a preview of its last message. Chat session grains keep it
/// current with one-way notices; it rebuilds itself from PostgreSQL on activation and repairs what a lost notice missed
/// on a timer, so it may lag a session by a moment but never for good. Refusals are <see cref="SessionException"/>s.
/// </summary>
[Alias("Sessions.IInboxGrain")]
public interface IInboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// A page of the participant's sessions by last activity, newest first (ties by session id, descending). Fails with
    /// <see cref="SessionErrors.ParticipantNotFound"/> for an unknown participant, with a
    /// <see cref="SessionErrors.Validation"/> error on <c>cursor</c> or <c>limit</c> for a bad query.
    /// </summary>
    [ReadOnly, Alias("ListAsync")]
    Task<InboxPage> ListAsync(InboxQuery query);

    /// <summary>
    /// Moves the participant's read cursor in <paramref name="sessionId"/> forward to <paramref name="lastSeq"/> and
    /// returns the entry; a value at or below the cursor changes nothing (so a resend is harmless). Fails with
    /// <see cref="SessionErrors.SessionNotFound"/>, <see cref="SessionErrors.ParticipantNotInSession"/>, or a
    /// <see cref="SessionErrors.Validation"/> error on <c>last_seq</c> when it is negative or past the session's end.
    /// </summary>
    [RetrySafe, Alias("MarkReadAsync")]
    Task<InboxEntry> MarkReadAsync(string sessionId, long lastSeq);

    /// <summary>
    /// Sent by a chat session grain after it committed a create, an append or a status change. Safe to deliver twice
    /// or out of order: only what is newer than the inbox knows is applied, and a gap makes it reread the session.
    /// </summary>
    [OneWay, Alias("OnSessionChangedAsync")]
    Task OnSessionChangedAsync(InboxNotice notice);

    /// <summary>
    /// Subscribes (or renews) <paramref name="observer"/> to the inbox's deltas and returns the inbox as it is now. A
    /// subscription expires (<c>Sessions:Inbox:ObserverExpiry</c>, 60 s by default) unless renewed by calling this
    /// again; renew at under half the expiry.
    /// </summary>
    [Alias("SubscribeAsync")]
    Task<InboxSnapshot> SubscribeAsync(IInboxObserver observer);

    /// <summary>Ends <paramref name="observer"/>'s subscription at once.</summary>
    [Alias("UnsubscribeAsync")]
    Task UnsubscribeAsync(IInboxObserver observer);
}
