namespace Sessions.Abstractions;

/// <summary>
/// An <see cref="AppendResult"/> in its wire form: the stored message as the UTF-8 JSON an HTTP response carries
/// (snake_case, as <see cref="SessionsJsonContext"/> writes it), which the grain takes from its tail cache, where the
/// message was serialized once when it entered. The message's place travels beside the bytes, so a caller that only
/// acknowledges (the WebSocket <c>ack</c>, the 201's Location) never parses them. Immutable: within a silo the bytes
/// cross the call by reference.
/// </summary>
/// <param name="Utf8Json">The stored message, exactly as a page of the session's log carries it.</param>
/// <param name="MessageId">The message's id.</param>
/// <param name="Seq">The message's place in the session's log.</param>
/// <param name="ClientMessageId">The message's client_message_id, if it has one.</param>
/// <param name="Created">False when the append replayed an earlier message (a client_message_id seen before).</param>
[GenerateSerializer, Immutable, Alias("Sessions.AppendResultJson")]
public sealed record AppendResultJson(
    [property: Id(0)] byte[] Utf8Json,
    [property: Id(1)] string MessageId,
    [property: Id(2)] long Seq,
    [property: Id(3)] string? ClientMessageId,
    [property: Id(4)] bool Created);
