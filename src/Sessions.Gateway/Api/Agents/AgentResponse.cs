using System.Text.Json.Serialization;
using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;

namespace Sessions.Gateway.Api.Agents;

/// <summary>
/// An agent as the API shows it: its effective settings (the configured defaults filled in), never its secret except
/// in the answer that created it (<see cref="Secret"/> is left out of the JSON everywhere else).
/// </summary>
public sealed record AgentResponse(
    string Id,
    string Url,
    string Status,
    string? DisabledReason,
    long TimeoutMs,
    int MaxAttempts,
    long RetryBaseDelayMs,
    long RetryMaxDelayMs,
    long DebounceMs,
    AgentHistoryResponse History,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    public static AgentResponse From(AgentRow agent, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var effective = EffectiveAgentSettings.From(agent.Settings, options);
        return new AgentResponse(
            Id: agent.ParticipantId,
            Url: agent.Url,
            Status: AgentColumns.ToText(agent.Status),
            DisabledReason: agent.DisabledReason,
            TimeoutMs: (long)effective.Timeout.TotalMilliseconds,
            MaxAttempts: effective.MaxAttempts,
            RetryBaseDelayMs: (long)effective.RetryBaseDelay.TotalMilliseconds,
            RetryMaxDelayMs: (long)effective.RetryMaxDelay.TotalMilliseconds,
            DebounceMs: (long)effective.Debounce.TotalMilliseconds,
            History: new AgentHistoryResponse(AgentColumns.ToText(effective.HistoryMode), effective.HistoryCount),
            PreviousSecretExpiresAt: agent.PreviousSecretExpiresAt,
            CreatedAt: agent.CreatedAt,
            UpdatedAt: agent.UpdatedAt);
    }
}

/// <summary>The effective history: <c>count</c> is null for <c>last</c>, which carries no earlier messages.</summary>
public sealed record AgentHistoryResponse(string Mode, int? Count);

/// <summary>A page of agents by ascending id; pass <see cref="NextCursor"/> as <c>cursor</c> for the next one.</summary>
public sealed record AgentList(IReadOnlyList<AgentResponse> Agents, string? NextCursor);
