using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// Inactivity: an active session untouched (no message, no status change) for <see cref="ChatSessionOptions.IdleAfter"/>
/// moves to <c>idle</c>, which subscribers and inboxes see as a status change. The check runs on a timer that does not
/// keep the activation alive, and once on activation for sessions that went quiet while out of memory.
/// </summary>
public sealed partial class ChatSessionGrain
{
    private IGrainTimer? _idleCheck;

    private void WatchForInactivity()
    {
        if (_session is null || _idleCheck is not null)
        {
            return;
        }

        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, Math.Min(_options.IdleAfter.Ticks / 4, TimeSpan.FromMinutes(1).Ticks)));
        _idleCheck = this.RegisterGrainTimer(GoIdleIfQuietAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = false });
    }

    private async Task GoIdleIfQuietAsync(CancellationToken cancellationToken)
    {
        if (_session is { Status: SessionStatus.Active } session && DateTimeOffset.UtcNow - session.UpdatedAt >= _options.IdleAfter && _replies.Count == 0)
        {
            await ChangeStatusAsync(SessionStatus.Idle);
        }
    }
}
