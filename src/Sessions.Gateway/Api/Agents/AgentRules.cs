using Sessions.Gateway.Problems;
using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;

namespace Sessions.Gateway.Api.Agents;

/// <summary>
/// The bounds of an agent's settings and their checks. The fixed bounds are mirrored by the <c>agents</c> table's
/// check constraints; the configurable ones (<see cref="WebhookOptions.MaxTimeout"/>,
/// <see cref="WebhookOptions.MaxHistoryMessages"/>) are checked here only.
/// </summary>
internal static class AgentRules
{
    public const int MaxAttempts = 100;
    public const int MaxRetryBaseDelayMs = 3_600_000;
    public const int MaxRetryMaxDelayMs = 86_400_000;
    public const int MaxDebounceMs = 60_000;

    /// <summary>Status set through the API records this reason when it disables an agent.</summary>
    public const string ManualDisableReason = "manual";

    /// <summary>The settings members of <paramref name="request"/> as an update: set for each member present, each checked.</summary>
    public static AgentUpdate ReadUpdate(AgentRequest request, WebhookOptions options, ValidationErrors errors)
    {
        var update = new AgentUpdate
        {
            TimeoutMs = Range(errors, "timeout_ms", request.Has(nameof(request.TimeoutMs)), request.TimeoutMs, 1, (long)options.MaxTimeout.TotalMilliseconds),
            MaxAttempts = Range(errors, "max_attempts", request.Has(nameof(request.MaxAttempts)), request.MaxAttempts, 1, MaxAttempts),
            RetryBaseDelayMs = Range(errors, "retry_base_delay_ms", request.Has(nameof(request.RetryBaseDelayMs)), request.RetryBaseDelayMs, 1, MaxRetryBaseDelayMs),
            RetryMaxDelayMs = Range(errors, "retry_max_delay_ms", request.Has(nameof(request.RetryMaxDelayMs)), request.RetryMaxDelayMs, 1, MaxRetryMaxDelayMs),
            DebounceMs = Range(errors, "debounce_ms", request.Has(nameof(request.DebounceMs)), request.DebounceMs, 0, MaxDebounceMs),
        };

        if (request.Has(nameof(request.History)))
        {
            var history = request.History;
            var mode = AgentHistoryMode.Tail;
            int? count = null;
            if (history is not null)
            {
                if (!AgentColumns.TryParseHistoryMode(history.Mode, out mode))
                {
                    errors.Add("history.mode", "history.mode is required and must be tail, last or entire.");
                }
                else if (history.Count is { } given)
                {
                    if (mode == AgentHistoryMode.Last)
                    {
                        errors.Add("history.count", "history.count applies to tail and entire only; last carries no earlier messages.");
                    }
                    else if (given < 1 || given > options.MaxHistoryMessages)
                    {
                        errors.Add("history.count", $"history.count must be an integer from 1 to {options.MaxHistoryMessages}.");
                    }
                    else
                    {
                        count = (int)given;
                    }
                }
            }

            update = update with { HistoryMode = Change<AgentHistoryMode>.To(mode), HistoryCount = Change<int?>.To(count) };
        }

        if (request.Status is not null)
        {
            if (AgentColumns.TryParseStatus(request.Status, out var status))
            {
                var reason = status == AgentStatus.Disabled ? ManualDisableReason : null;
                update = update with { Status = Change<(AgentStatus, string?)>.To((status, reason)) };
            }
            else
            {
                errors.Add("status", "status must be enabled or disabled.");
            }
        }

        return update;
    }

    /// <summary><paramref name="current"/> with the settings of <paramref name="update"/> applied.</summary>
    public static AgentSettings Apply(AgentSettings current, AgentUpdate update) => new(
        TimeoutMs: update.TimeoutMs.IsSet ? update.TimeoutMs.Value : current.TimeoutMs,
        MaxAttempts: update.MaxAttempts.IsSet ? update.MaxAttempts.Value : current.MaxAttempts,
        RetryBaseDelayMs: update.RetryBaseDelayMs.IsSet ? update.RetryBaseDelayMs.Value : current.RetryBaseDelayMs,
        RetryMaxDelayMs: update.RetryMaxDelayMs.IsSet ? update.RetryMaxDelayMs.Value : current.RetryMaxDelayMs,
        DebounceMs: update.DebounceMs.IsSet ? update.DebounceMs.Value : current.DebounceMs,
        HistoryMode: update.HistoryMode.IsSet ? update.HistoryMode.Value : current.HistoryMode,
        HistoryCount: update.HistoryCount.IsSet ? update.HistoryCount.Value : current.HistoryCount);

    /// <summary>The first retry may not wait longer than the longest wait, defaults included.</summary>
    public static void CheckDelays(AgentSettings settings, WebhookOptions options, ValidationErrors errors)
    {
        var effective = EffectiveAgentSettings.From(settings, options);
        if (effective.RetryBaseDelay > effective.RetryMaxDelay)
        {
            errors.Add("retry_base_delay_ms",
                $"retry_base_delay_ms ({effective.RetryBaseDelay.TotalMilliseconds:0}) must not exceed retry_max_delay_ms ({effective.RetryMaxDelay.TotalMilliseconds:0}{(settings.RetryMaxDelayMs is null ? ", the default" : "")}).");
        }
    }

    public static void CheckSecret(string? secret, ValidationErrors errors)
    {
        if (secret is not null && WebhookSecret.TryDecode(secret) is null)
        {
            errors.Add("secret",
                $"secret must be {WebhookSecret.Prefix} followed by the base64 of {WebhookSecret.MinKeyBytes} to {WebhookSecret.MaxKeyBytes} random bytes (or be left out to have one generated).");
        }
    }

    private static Change<int?> Range(ValidationErrors errors, string field, bool given, long? value, long min, long max)
    {
        if (!given)
        {
            return default;
        }

        if (value is { } number && (number < min || number > max))
        {
            errors.Add(field, $"{field} must be an integer from {min} to {max}, or null for the default.");
            return default;
        }

        return Change<int?>.To(value is { } valid ? (int)valid : null);
    }
}
