namespace Sessions.Abstractions;

/// <summary>What a <see cref="SessionEvent"/> tells. Explicit values: they cross the wire between silos.</summary>
[GenerateSerializer, Alias("Sessions.SessionEventKind")]
public enum SessionEventKind
{
    /// <summary>A message was committed at <see cref="SessionEvent.Seq"/>; the payload is the message.</summary>
    Message = 0,

    /// <summary>The session was created; the payload is the session.</summary>
    Created = 1,

    /// <summary>The session's status changed; the payload is the session.</summary>
    Status = 2,

    /// <summary>A streamed reply opened; the payload is the reply (<c>reply_id</c>, <c>sender_id</c>, ...).</summary>
    ReplyStarted = 3,

    /// <summary>A chunk of a streamed reply (<see cref="SessionEvent.ReplyId"/>, <see cref="SessionEvent.ChunkIndex"/>).</summary>
    ReplyChunk = 4,

    /// <summary>
    /// A streamed reply ended, completed (its message is at <see cref="SessionEvent.Seq"/>) or aborted;
    /// <see cref="SessionEvent.ChunkIndex"/> is its number of chunks.
    /// </summary>
    ReplyEnded = 5,

    /// <summary>A participant started or stopped typing. Ephemeral: never replayed.</summary>
    Typing = 6,

    /// <summary>A participant came online or went offline in the session.</summary>
    Presence = 7,

    /// <summary>
    /// The session's agent started or stopped working on a delivery; the payload is
    /// <c>{"agent_id":…,"state":"working"|"idle","delivery_id":…}</c>. Ephemeral: never replayed.
    /// </summary>
    AgentTurn = 8,
}
