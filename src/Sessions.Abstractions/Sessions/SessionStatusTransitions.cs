namespace Sessions.Abstractions;

/// <summary>
/// The session state machine: <c>active ⇄ idle</c>, <c>active|idle → suspended → active</c>, and from any
/// open state (active, idle, suspended) to one of the terminal states <c>completed</c>, <c>failed</c>, <c>closed</c>.
/// Terminal states have no way out. Moving to the state a session is already in is not a transition.
/// </summary>
public static class SessionStatusTransitions
{
    /// <summary>True when a session in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool IsAllowed(SessionStatus from, SessionStatus to) => (from, to) switch
    {
        (SessionStatus.Active, SessionStatus.Idle) => true,
        (SessionStatus.Idle, SessionStatus.Active) => true,
        (SessionStatus.Active or SessionStatus.Idle, SessionStatus.Suspended) => true,
        (SessionStatus.Suspended, SessionStatus.Active) => true,
        (_, SessionStatus.Completed or SessionStatus.Failed or SessionStatus.Closed) => !IsTerminal(from),
        _ => false,
    };

    /// <summary>Completed, failed and closed sessions are finished for good.</summary>
    public static bool IsTerminal(SessionStatus status) =>
        status is SessionStatus.Completed or SessionStatus.Failed or SessionStatus.Closed;

    /// <summary>Messages may be appended only to active or idle sessions (an append wakes an idle one).</summary>
    public static bool AcceptsMessages(SessionStatus status) =>
        status is SessionStatus.Active or SessionStatus.Idle;
}
