namespace Sessions.Storage.Agents;

/// <summary>Which earlier messages of the session a delivery carries besides the new ones.</summary>
public enum AgentHistoryMode
{
    /// <summary>The last <c>history_count</c> messages before the new ones.</summary>
    Tail = 0,

    /// <summary>No earlier messages: only those being delivered.</summary>
    Last = 1,

    /// <summary>The whole session before the new messages, up to <c>history_count</c> (or the configured maximum).</summary>
    Entire = 2,
}
