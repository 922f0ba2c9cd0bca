using System.Text.Json;

namespace Sessions.Gateway.Api.Sessions;

/// <summary>The body of <c>POST /api/sessions</c>.</summary>
public sealed class CreateSessionRequest
{
    public string? InitiatorId { get; init; }

    public string? PeerId { get; init; }

    /// <summary>An optional third participant of kind agent.</summary>
    public string? AgentId { get; init; }

    /// <summary>A short machine name; the grain's default (<c>chat</c>) when absent.</summary>
    public string? Kind { get; init; }

    public JsonElement? Metadata { get; init; }

    public string? TaskId { get; init; }
}
