namespace Sessions.Storage.Agents;

/// <summary>An agent's own delivery settings; null means the configured default.</summary>
public sealed record AgentSettings(
    int? TimeoutMs = null,
    int? MaxAttempts = null,
    int? RetryBaseDelayMs = null,
    int? RetryMaxDelayMs = null,
    int? DebounceMs = null,
    AgentHistoryMode HistoryMode = AgentHistoryMode.Tail,
    int? HistoryCount = null);
