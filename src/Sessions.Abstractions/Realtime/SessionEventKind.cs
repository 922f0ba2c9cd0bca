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
}
