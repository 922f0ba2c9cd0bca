using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;

namespace Sessions.Grains;

/// <summary>A stored registration as the contract answers it: effective settings, no secrets.</summary>
internal static class AgentAnswers
{
    public static Agent ToAgent(this AgentRow row, WebhookOptions options)
    {
        var effective = EffectiveAgentSettings.From(row.Settings, options);
        return new Agent(
            Id: row.ParticipantId,
            Url: row.Url,
            Status: row.Status,
            DisabledReason: row.DisabledReason,
            TimeoutMs: (long)effective.Timeout.TotalMilliseconds,
            MaxAttempts: effective.MaxAttempts,
            RetryBaseDelayMs: (long)effective.RetryBaseDelay.TotalMilliseconds,
            RetryMaxDelayMs: (long)effective.RetryMaxDelay.TotalMilliseconds,
            DebounceMs: (long)effective.Debounce.TotalMilliseconds,
            History: new AgentHistory(effective.HistoryMode, effective.HistoryCount),
            PreviousSecretExpiresAt: row.PreviousSecretExpiresAt,
            CreatedAt: row.CreatedAt,
            UpdatedAt: row.UpdatedAt);
    }
}
