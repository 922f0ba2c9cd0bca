using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>
/// A streamed reply: a message being written chunk by chunk (typically by an agent), visible to subscribers as it
/// grows, and finalized into one ordinary message with a seq — or aborted, keeping the text so far as a message.
/// </summary>
/// <param name="Id">The reply's id (the author's, or generated).</param>
/// <param name="Chunks">The chunks so far, in order (index = position). Empty in the answers and events that end a reply.</param>
/// <param name="MessageSeq">The seq of the message it ended in; null while streaming or when it ended without text.</param>
/// <param name="EndReason">Why an aborted reply ended: <c>stopped</c>, <c>abandoned</c>, <c>interrupted</c>, or the stopper's reason.</param>
[GenerateSerializer, Immutable, Alias("Sessions.Reply")]
public sealed record Reply(
    [property: Id(0)] string Id,
    [property: Id(1)] string SessionId,
    [property: Id(2)] string SenderId,
    [property: Id(3)] string Kind,
    [property: Id(4)] ReplyStatus Status,
    [property: Id(5)] IReadOnlyList<string> Chunks,
    [property: Id(6)] JsonElement? Metadata,
    [property: Id(7)] DateTimeOffset StartedAt,
    [property: Id(8)] DateTimeOffset? EndedAt,
    [property: Id(9)] long? MessageSeq,
    [property: Id(10)] string? EndReason);
