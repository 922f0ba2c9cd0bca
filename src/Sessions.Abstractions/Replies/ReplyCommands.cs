using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>Opens a streamed reply by <paramref name="SenderId"/>; a repeated <paramref name="ReplyId"/> of the same sender returns the reply as it is.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.StartReplyCommand")]
public sealed record StartReplyCommand(
    [property: Id(0)] string SenderId,
    [property: Id(1)] string? ReplyId,
    [property: Id(2)] string? Kind,
    [property: Id(3)] JsonElement? Metadata) : IRetrySafe
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRetrySafe => ReplyId is not null;
}

/// <summary>
/// Adds a chunk of text to a reply. With <paramref name="Index"/> the chunk is idempotent: resending chunk n stores it
/// once; an index beyond the next one is refused (a chunk is missing).
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.AppendChunkCommand")]
public sealed record AppendChunkCommand(
    [property: Id(0)] string SenderId,
    [property: Id(1)] string Text,
    [property: Id(2)] int? Index) : IRetrySafe
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRetrySafe => Index is not null;
}

/// <summary>Where a chunk went: its reply and its index.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.ChunkAck")]
public sealed record ChunkAck([property: Id(0)] string ReplyId, [property: Id(1)] int Index);

/// <summary>
/// Finalizes a reply into one message: <paramref name="Content"/>, or <c>{"text": all chunks}</c> when null. Idempotent:
/// finishing a finished reply returns its message.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.FinishReplyCommand")]
public sealed record FinishReplyCommand(
    [property: Id(0)] string SenderId,
    [property: Id(1)] JsonElement? Content,
    [property: Id(2)] JsonElement? Metadata) : IRetrySafe
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRetrySafe => true;
}

/// <summary>Stops a reply on behalf of <paramref name="ParticipantId"/> (any member of the session): it ends aborted, its text so far kept.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.StopReplyCommand")]
public sealed record StopReplyCommand(
    [property: Id(0)] string ParticipantId,
    [property: Id(1)] string? Reason) : IRetrySafe
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRetrySafe => true;
}
