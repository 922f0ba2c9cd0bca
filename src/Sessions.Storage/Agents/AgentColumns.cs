namespace Sessions.Storage.Agents;

/// <summary>The spellings of <see cref="AgentStatus"/> and <see cref="AgentHistoryMode"/> in the <c>agents</c> table (and the API).</summary>
public static class AgentColumns
{
    public static string ToText(AgentStatus status) => status switch
    {
        AgentStatus.Enabled => "enabled",
        AgentStatus.Disabled => "disabled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown agent status."),
    };

    public static string ToText(AgentHistoryMode mode) => mode switch
    {
        AgentHistoryMode.Tail => "tail",
        AgentHistoryMode.Last => "last",
        AgentHistoryMode.Entire => "entire",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown history mode."),
    };

    public static bool TryParseStatus(string? text, out AgentStatus status)
    {
        (var known, status) = text switch
        {
            "enabled" => (true, AgentStatus.Enabled),
            "disabled" => (true, AgentStatus.Disabled),
            _ => (false, default),
        };
        return known;
    }

    public static bool TryParseHistoryMode(string? text, out AgentHistoryMode mode)
    {
        (var known, mode) = text switch
        {
            "tail" => (true, AgentHistoryMode.Tail),
            "last" => (true, AgentHistoryMode.Last),
            "entire" => (true, AgentHistoryMode.Entire),
            _ => (false, default),
        };
        return known;
    }

    internal static AgentStatus ParseStatus(string text) =>
        TryParseStatus(text, out var status) ? status : throw new InvalidOperationException($"Unknown agent status '{text}' in the database.");

    internal static AgentHistoryMode ParseHistoryMode(string text) =>
        TryParseHistoryMode(text, out var mode) ? mode : throw new InvalidOperationException($"Unknown history mode '{text}' in the database.");
}
