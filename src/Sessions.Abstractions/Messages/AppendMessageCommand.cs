using System.Text.Json;
using System.Text.Json.Serialization;
using Sessions.Actors;

namespace Sessions.Abstractions;

/// <summary>
/// A message to append. <see cref="ClientMessageId"/> makes the append idempotent within the session;
/// <see cref="ExpectedSeq"/>, when set, is the <c>last_seq</c> the sender believes the session has: the
/// append succeeds only if it does (the message then gets <c>ExpectedSeq + 1</c>).
/// </summary>
public sealed record AppendMessageCommand(
    string SenderId,
    string Kind,
    JsonElement Content,
    JsonElement? Metadata,
    string? ClientMessageId,
    long? ExpectedSeq) : IRetrySafe
{
    /// <summary>With a client_message_id, sending the append twice stores it once: safe to resend after an interruption.</summary>
    [JsonIgnore]
    public bool IsRetrySafe => ClientMessageId is not null;
}
