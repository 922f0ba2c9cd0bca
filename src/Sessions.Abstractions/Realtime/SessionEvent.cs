namespace Sessions.Abstractions;

/// <summary>
/// Something that happened in a session, as its grain tells the gateways that hold its subscribers.
/// <see cref="Seq"/> is the message's seq for a <see cref="SessionEventKind.Message"/>, and the session's last_seq
/// when the event happened otherwise: a gateway that sees a seq beyond what it delivered knows it missed something
/// and reads the gap from the grain, so a lost event never becomes a lost message.
/// </summary>
/// <param name="SessionId">The session.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Seq">See the summary.</param>
/// <param name="ReplyId">For reply events, the reply, so a gateway can track chunks without parsing payloads.</param>
/// <param name="ChunkIndex">For a <see cref="SessionEventKind.ReplyChunk"/>, the chunk's index (0, 1, 2, …).</param>
/// <param name="Utf8Json">
/// The payload as HTTP clients see it (a message, a session), written once by the grain so that no gateway
/// serializes it again for each of its subscribers.
/// </param>
[GenerateSerializer, Immutable, Alias("Sessions.SessionEvent")]
public sealed record SessionEvent(
    [property: Id(0)] string SessionId,
    [property: Id(1)] SessionEventKind Kind,
    [property: Id(2)] long Seq,
    [property: Id(3)] byte[] Utf8Json,
    [property: Id(4)] string? ReplyId = null,
    [property: Id(5)] int ChunkIndex = 0);
