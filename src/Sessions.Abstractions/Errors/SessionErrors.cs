using System.Globalization;

namespace Sessions.Abstractions;

/// <summary>
/// The stable error codes of the domain. Grains raise them as <see cref="SessionException"/>s; the gateway maps
/// each code to an HTTP status and a problem type <c>urn:sessions:problem:{code}</c>.
/// </summary>
public static class SessionErrors
{
    public const string SessionNotFound = "session-not-found";
    public const string SessionAlreadyExists = "session-already-exists";
    public const string ParticipantNotFound = "participant-not-found";
    public const string ParticipantAlreadyExists = "participant-already-exists";
    public const string SenderNotParticipant = "sender-not-participant";
    public const string SeqConflict = "seq-conflict";
    public const string InvalidTransition = "invalid-transition";
    public const string SessionNotWritable = "session-not-writable";
    public const string Validation = "validation";
    public const string ContentTooLarge = "content-too-large";

    /// <summary>No streamed reply with that id is in flight in the session (and none ended there recently).</summary>
    public const string ReplyNotFound = "reply-not-found";

    /// <summary>The streamed reply has ended (completed or aborted): it takes no more chunks.</summary>
    public const string ReplyEnded = "reply-ended";

    /// <summary>Only the participant who opened a streamed reply may add to it or finish it.</summary>
    public const string NotReplyAuthor = "not-reply-author";

    /// <summary>A chunk's index is beyond the next one (a chunk is missing), or names a stored chunk with other text.</summary>
    public const string ChunkConflict = "chunk-conflict";

    /// <summary>A limit of streamed replies was reached (replies in flight per session, chunks or bytes per reply).</summary>
    public const string ReplyLimit = "reply-limit";

    /// <summary>A participant acted on a session it is not in (moving its read cursor there).</summary>
    public const string ParticipantNotInSession = "participant-not-in-session";

    /// <summary>
    /// Another writer kept extending the session's log (possible only if two activations of one session ever ran at
    /// once), and this append lost every race. It was not stored: always safe to send again.
    /// </summary>
    public const string SessionContended = "session-contended";

    /// <summary>No webhook is registered for that agent id.</summary>
    public const string AgentNotFound = "agent-not-found";

    /// <summary>The agent already has a webhook registration (change it with PUT, or delete it first).</summary>
    public const string AgentExists = "agent-exists";

    /// <summary>A webhook can only be registered for a participant of kind agent; the id names another kind.</summary>
    public const string ParticipantNotAgent = "participant-not-agent";

    /// <summary>No webhook delivery has that id.</summary>
    public const string DeliveryNotFound = "delivery-not-found";

    /// <summary>The participant has no token with that id.</summary>
    public const string TokenNotFound = "token-not-found";

    /// <summary>The detail key that carries the session's current <c>last_seq</c> on a <see cref="SeqConflict"/>.</summary>
    public const string CurrentSeqDetail = "current_seq";

    /// <summary>
    /// The detail key that names the (first) offending field (snake_case) of a <see cref="Validation"/> error;
    /// <see cref="SessionException.Fields"/> names them all.
    /// </summary>
    public const string FieldDetail = "field";

    /// <summary>A request that breaks a rule; <paramref name="field"/> names the offending field (snake_case).</summary>
    public static SessionException Invalid(string field, string message) => new FieldErrors().Add(field, message).ToException();

    public static SessionException NotFound(string sessionId) =>
        new(SessionNotFound, $"Session '{sessionId}' does not exist.");

    public static SessionException UnknownParticipant(string participantId) =>
        new(ParticipantNotFound, $"Participant '{participantId}' does not exist.", new Dictionary<string, string> { ["participant_id"] = participantId });

    public static SessionException NotInSession(string participantId, string sessionId) =>
        new(ParticipantNotInSession, $"'{participantId}' is not a participant of session '{sessionId}'.");

    public static SessionException Conflict(long currentSeq, long expectedSeq) =>
        new(SeqConflict, $"Expected last_seq {expectedSeq}, but the session is at {currentSeq}.",
            new Dictionary<string, string> { [CurrentSeqDetail] = currentSeq.ToString(CultureInfo.InvariantCulture) });
}
