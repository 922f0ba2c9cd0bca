namespace Sessions.Grains;

/// <summary>
/// Inactivity: an active session untouched (no message, no status change) for <see cref="ChatSessionOptions.IdleAfter"/>
/// is quiet, and its grain moves it to <c>idle</c>, which subscribers and inboxes see as a status change. The check
/// runs on a grain timer that does not keep the activation alive (<see cref="Watch"/>), and once on activation for
/// sessions that went quiet while out of memory.
/// </summary>
internal sealed class IdleWatch(TimeSpan idleAfter, TimeProvider time, GrainTimerRegistration timers, Func<CancellationToken, Task> check)
{
    private IGrainTimer? _timer;

    /// <summary>How often the check runs: a quarter of the quiet spell, between 100 ms and a minute.</summary>
    public TimeSpan CheckPeriod { get; } =
        TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, Math.Min(idleAfter.Ticks / 4, TimeSpan.FromMinutes(1).Ticks)));

    /// <summary>Starts the periodic check, once per activation.</summary>
    public void Watch() => _timer ??= timers(check, new GrainTimerCreationOptions(CheckPeriod, CheckPeriod) { KeepAlive = false });

    /// <summary>Whether <paramref name="session"/> is active and has been untouched for the whole quiet spell.</summary>
    public bool IsQuiet(ChatSession session) => session.Status == SessionStatus.Active && time.GetUtcNow() - session.UpdatedAt >= idleAfter;
}
