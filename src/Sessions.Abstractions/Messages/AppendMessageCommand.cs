using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>
/// A message to append. <see cref="ClientMessageId"/> makes the append idempotent within the session;
/// <see cref="ExpectedSeq"/>, when set, is the <c>last_seq</c> the sender believes the session has: the
/// append succeeds only if it does (the message then gets <c>ExpectedSeq + 1</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.AppendMessageCommand")]
public sealed record AppendMessageCommand(
    [property: Id(0)] string SenderId,
    [property: Id(1)] string Kind,
    [property: Id(2)] JsonElement Content,
    [property: Id(3)] JsonElement? Metadata,
    [property: Id(4)] string? ClientMessageId,
    [property: Id(5)] long? ExpectedSeq) : IRetrySafe
{
    /// <summary>With a client_message_id, sending the append twice stores it once: safe to resend after an interruption.</summary>
    [JsonIgnore]
    public bool IsRetrySafe => ClientMessageId is not null;
}
