using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;

namespace Sessions.Grains;

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

    /// <summary>A status set by a caller records this reason when it disables an agent.</summary>
    public const string ManualDisableReason = "manual";

    /// <summary>
    /// <paramref name="settings"/> and <paramref name="status"/> as a storage update: set for each member given, each
    /// checked into <paramref name="errors"/> (a refused member is left unset).
    /// </summary>
    public static AgentUpdate ReadUpdate(AgentSettingsChange? settings, AgentStatus? status, WebhookOptions options, FieldErrors errors)
    {
        settings ??= new AgentSettingsChange();
        var update = new AgentUpdate
        {
            TimeoutMs = Range(errors, "timeout_ms", settings.TimeoutMs, 1, (long)options.MaxTimeout.TotalMilliseconds),
            MaxAttempts = Range(errors, "max_attempts", settings.MaxAttempts, 1, MaxAttempts),
            RetryBaseDelayMs = Range(errors, "retry_base_delay_ms", settings.RetryBaseDelayMs, 1, MaxRetryBaseDelayMs),
            RetryMaxDelayMs = Range(errors, "retry_max_delay_ms", settings.RetryMaxDelayMs, 1, MaxRetryMaxDelayMs),
            DebounceMs = Range(errors, "debounce_ms", settings.DebounceMs, 0, MaxDebounceMs),
        };

        if (settings.History.IsSet)
        {
            var (mode, count) = History(settings.History.Value, options, errors);
            update = update with { HistoryMode = Change<AgentHistoryMode>.To(mode), HistoryCount = Change<int?>.To(count) };
        }

        if (status is { } given)
        {
            if (Enum.IsDefined(given))
            {
                var reason = given == AgentStatus.Disabled ? ManualDisableReason : null;
                update = update with { Status = Change<(AgentStatus, string?)>.To((given, reason)) };
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
    public static void CheckDelays(AgentSettings settings, WebhookOptions options, FieldErrors errors)
    {
        var effective = EffectiveAgentSettings.From(settings, options);
        if (effective.RetryBaseDelay > effective.RetryMaxDelay)
        {
            errors.Add("retry_base_delay_ms",
                $"retry_base_delay_ms ({effective.RetryBaseDelay.TotalMilliseconds:0}) must not exceed retry_max_delay_ms ({effective.RetryMaxDelay.TotalMilliseconds:0}{(settings.RetryMaxDelayMs is null ? ", the default" : "")}).");
        }
    }

    public static void CheckSecret(string? secret, FieldErrors errors)
    {
        if (secret is not null && WebhookSecret.TryDecode(secret) is null)
        {
            errors.Add("secret",
                $"secret must be {WebhookSecret.Prefix} followed by the base64 of {WebhookSecret.MinKeyBytes} to {WebhookSecret.MaxKeyBytes} random bytes (or be left out to have one generated).");
        }
    }

    /// <summary>Null history is the default one (tail, the configured count); a refused member keeps the default.</summary>
    private static (AgentHistoryMode Mode, int? Count) History(AgentHistoryChange? history, WebhookOptions options, FieldErrors errors)
    {
        if (history is null)
        {
            return (AgentHistoryMode.Tail, null);
        }

        if (history.Mode is not { } mode || !Enum.IsDefined(mode))
        {
            errors.Add("history.mode", "history.mode is required and must be tail, last or entire.");
            return (AgentHistoryMode.Tail, null);
        }

        if (history.Count is not { } given)
        {
            return (mode, null);
        }

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
            return (mode, (int)given);
        }

        return (mode, null);
    }

    private static Change<int?> Range(FieldErrors errors, string field, Change<long?> change, long min, long max)
    {
        if (!change.IsSet)
        {
            return default;
        }

        if (change.Value is { } number && (number < min || number > max))
        {
            errors.Add(field, $"{field} must be an integer from {min} to {max}, or null for the default.");
            return default;
        }

        return Change<int?>.To(change.Value is { } valid ? (int)valid : null);
    }
}
