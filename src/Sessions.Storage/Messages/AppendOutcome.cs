using Sessions.Abstractions;

namespace Sessions.Storage.Messages;

/// <summary>What <see cref="MessageStore.TryAppendAsync"/> did. Only <see cref="Appended"/> wrote anything.</summary>
public abstract record AppendOutcome
{
    private AppendOutcome() { }

    /// <summary>The message was committed; it carries what the database stored (seq, created_at, normalized JSON).</summary>
    public sealed record Appended(ChatMessage Message) : AppendOutcome;

    /// <summary>
    /// The session's last_seq was not the expected one (another writer extended the log), or the session does not
    /// exist: reload the session and retry or report a conflict.
    /// </summary>
    public sealed record SeqTaken : AppendOutcome
    {
        public static SeqTaken Instance { get; } = new();
    }

    /// <summary>The session already holds a message with this client_message_id; fetch it with FindByClientMessageIdAsync.</summary>
    public sealed record DuplicateClientMessageId : AppendOutcome
    {
        public static DuplicateClientMessageId Instance { get; } = new();
    }
}
