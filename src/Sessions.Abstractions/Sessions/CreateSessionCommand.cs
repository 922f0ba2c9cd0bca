using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>What a new session is made of. Its id is the key of the grain that receives the command.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.CreateSessionCommand")]
public sealed record CreateSessionCommand(
    [property: Id(0)] string InitiatorId,
    [property: Id(1)] string PeerId,
    [property: Id(2)] string? AgentId,
    [property: Id(3)] string Kind,
    [property: Id(4)] JsonElement? Metadata,
    [property: Id(5)] string? TaskId);
