using Sessions.Storage.Agents;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// An agent's delivery settings with the configured defaults filled in for what its registration leaves out: what the
/// dispatcher acts on and what the API shows. Resolved on every read, so a changed default reaches every agent that
/// did not choose otherwise.
/// </summary>
/// <param name="HistoryCount">How many earlier messages a delivery carries at most: the tail's length, or the cap of
/// <c>entire</c>; null for <see cref="AgentHistoryMode.Last"/>, which carries none.</param>
public sealed record EffectiveAgentSettings(
    TimeSpan Timeout,
    int MaxAttempts,
    TimeSpan RetryBaseDelay,
    TimeSpan RetryMaxDelay,
    TimeSpan Debounce,
    AgentHistoryMode HistoryMode,
    int? HistoryCount)
{
    public static EffectiveAgentSettings From(AgentSettings settings, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        return new EffectiveAgentSettings(
            Timeout: Milliseconds(settings.TimeoutMs) ?? options.DefaultTimeout,
            MaxAttempts: settings.MaxAttempts ?? options.DefaultMaxAttempts,
            RetryBaseDelay: Milliseconds(settings.RetryBaseDelayMs) ?? options.DefaultRetryBaseDelay,
            RetryMaxDelay: Milliseconds(settings.RetryMaxDelayMs) ?? options.DefaultMaxRetryDelay,
            Debounce: Milliseconds(settings.DebounceMs) ?? options.DefaultDebounce,
            HistoryMode: settings.HistoryMode,
            HistoryCount: settings.HistoryMode switch
            {
                AgentHistoryMode.Last => null,
                // A count stored under a larger maximum than today's is held to today's.
                AgentHistoryMode.Entire => Math.Min(settings.HistoryCount ?? options.MaxHistoryMessages, options.MaxHistoryMessages),
                _ => Math.Min(settings.HistoryCount ?? options.DefaultHistoryCount, options.MaxHistoryMessages),
            });
    }

    private static TimeSpan? Milliseconds(int? value) => value is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
}
