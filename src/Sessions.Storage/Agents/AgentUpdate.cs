namespace Sessions.Storage.Agents;

/// <summary>
/// A partial update of a registration (<see cref="AgentStore.UpdateAsync"/>): every member left <c>default</c> keeps its
/// column; a setting changed to null returns to the configured default. Enabling clears the disabled reason.
/// </summary>
public sealed record AgentUpdate
{
    public Change<string> Url { get; init; }

    public Change<int?> TimeoutMs { get; init; }

    public Change<int?> MaxAttempts { get; init; }

    public Change<int?> RetryBaseDelayMs { get; init; }

    public Change<int?> RetryMaxDelayMs { get; init; }

    public Change<int?> DebounceMs { get; init; }

    public Change<AgentHistoryMode> HistoryMode { get; init; }

    public Change<int?> HistoryCount { get; init; }

    /// <summary>The new status and, for <see cref="AgentStatus.Disabled"/>, why.</summary>
    public Change<(AgentStatus Status, string? Reason)> Status { get; init; }
}
