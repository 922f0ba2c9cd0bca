namespace Sessions.Grains;

/// <summary>
/// The session's timers. Housekeeping runs every <see cref="ChatSessionOptions.HousekeepingPeriod"/> while a reply is in
/// flight or a member is online: it checkpoints and ends abandoned replies, and takes silent members offline. The idle
/// check (<see cref="IdleWatch"/>) runs while the session is in memory, and once on activation.
/// </summary>
public sealed partial class ChatSessionGrain
{
    private IGrainTimer? _housekeeping;

    private void EnsureHousekeeping()
    {
        // KeepAlive: a reply in flight or a member online keeps the session's activation (and its memory of them).
        _housekeeping ??= this.RegisterGrainTimer(
            HousekeepAsync,
            new GrainTimerCreationOptions(_options.HousekeepingPeriod, _options.HousekeepingPeriod) { KeepAlive = true });
    }

    private async Task HousekeepAsync(CancellationToken cancellationToken)
    {
        await _replies.TendAsync();
        foreach (var offline in _presence.Expire())
        {
            Publish(SessionEvents.Presence(Id, offline, RequireSession().LastSeq));
        }

        if (!_replies.AnyInFlight && _presence.IsEmpty)
        {
            _housekeeping?.Dispose();
            _housekeeping = null;
        }
    }

    private void WatchForInactivity()
    {
        if (_session is not null)
        {
            _idle.Watch();
        }
    }

    /// <summary>A quiet session goes idle, unless a reply is streaming into it.</summary>
    private async Task GoIdleIfQuietAsync(CancellationToken cancellationToken)
    {
        if (_session is { } session && _idle.IsQuiet(session) && !_replies.AnyInFlight)
        {
            await ChangeStatusAsync(SessionStatus.Idle);
        }
    }
}
