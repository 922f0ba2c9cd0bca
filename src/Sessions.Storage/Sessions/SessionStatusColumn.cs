using Sessions.Abstractions;

namespace Sessions.Storage.Sessions;

/// <summary>The spelling of <see cref="SessionStatus"/> in the <c>chat_sessions.status</c> column (and its check constraint).</summary>
internal static class SessionStatusColumn
{
    public static string ToText(SessionStatus status) => status switch
    {
        SessionStatus.Active => "active",
        SessionStatus.Idle => "idle",
        SessionStatus.Suspended => "suspended",
        SessionStatus.Completed => "completed",
        SessionStatus.Failed => "failed",
        SessionStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown session status."),
    };

    public static SessionStatus Parse(string text) => text switch
    {
        "active" => SessionStatus.Active,
        "idle" => SessionStatus.Idle,
        "suspended" => SessionStatus.Suspended,
        "completed" => SessionStatus.Completed,
        "failed" => SessionStatus.Failed,
        "closed" => SessionStatus.Closed,
        _ => throw new InvalidOperationException($"Unknown session status '{text}' in the database."),
    };
}
