using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>What a new session is made of. Its id is the key of the grain that receives the command.</summary>
public sealed record CreateSessionCommand(
    string InitiatorId,
    string PeerId,
    string? AgentId,
    string Kind,
    JsonElement? Metadata,
    string? TaskId);
