using System.Text.Json.Serialization;
using Sessions.Abstractions;

namespace Sessions.Gateway.Api.Agents;

/// <summary>
/// An agent as the API shows it: its effective settings (the configured defaults filled in), never its secret except
/// in the answer that created it (<see cref="Secret"/> is left out of the JSON everywhere else).
/// </summary>
public sealed record AgentResponse(
    string Id,
    string Url,
    AgentStatus Status,
    string? DisabledReason,
    long TimeoutMs,
    int MaxAttempts,
    long RetryBaseDelayMs,
    long RetryMaxDelayMs,
    long DebounceMs,
    AgentHistory History,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    public static AgentResponse From(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new AgentResponse(
            agent.Id,
            agent.Url,
            agent.Status,
            agent.DisabledReason,
            agent.TimeoutMs,
            agent.MaxAttempts,
            agent.RetryBaseDelayMs,
            agent.RetryMaxDelayMs,
            agent.DebounceMs,
            agent.History,
            agent.PreviousSecretExpiresAt,
            agent.CreatedAt,
            agent.UpdatedAt);
    }
}

/// <summary>A page of agents by ascending id; pass <see cref="NextCursor"/> as <c>cursor</c> for the next one.</summary>
public sealed record AgentList(IReadOnlyList<AgentResponse> Agents, string? NextCursor);
