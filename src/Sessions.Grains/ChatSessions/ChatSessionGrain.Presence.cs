using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// Typing and presence: ephemeral, in memory only. A member is online from its first heartbeat until
/// <see cref="ChatSessionOptions.PresenceTimeout"/> passes without one; both transitions are events for subscribers.
/// </summary>
public sealed partial class ChatSessionGrain
{
    private readonly Dictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastTyping = new(StringComparer.Ordinal);
    private IGrainTimer? _housekeeping;

    public Task<bool> SetTypingAsync(string participantId, bool typing)
    {
        var session = RequireSession();
        RequireMember(participantId, "participant_id");
        var now = DateTimeOffset.UtcNow;
        Beat(participantId, now);
        if (typing && _lastTyping.TryGetValue(participantId, out var last) && now - last < _options.TypingInterval)
        {
            return Task.FromResult(false);
        }

        _lastTyping[participantId] = typing ? now : DateTimeOffset.MinValue;
        Publish(SessionEvents.Typing(Id, participantId, typing, session.LastSeq));
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<PresenceEntry>> HeartbeatAsync(string participantId)
    {
        RequireSession();
        RequireMember(participantId, "participant_id");
        Beat(participantId, DateTimeOffset.UtcNow);
        return GetPresenceAsync();
    }

    public Task<IReadOnlyList<PresenceEntry>> GetPresenceAsync()
    {
        var session = RequireSession();
        string[] members = session.AgentId is { } agent ? [session.InitiatorId, session.PeerId, agent] : [session.InitiatorId, session.PeerId];
        IReadOnlyList<PresenceEntry> entries = [.. members.Select(m => _lastSeen.TryGetValue(m, out var seen) ? new PresenceEntry(m, true, seen) : new PresenceEntry(m, false, null))];
        return Task.FromResult(entries);
    }

    private void Beat(string participantId, DateTimeOffset now)
    {
        var wasOnline = _lastSeen.ContainsKey(participantId);
        _lastSeen[participantId] = now;
        if (!wasOnline)
        {
            Publish(SessionEvents.Presence(Id, new PresenceEntry(participantId, true, now), RequireSession().LastSeq));
            EnsureHousekeeping();
        }
    }

    private void ExpirePresence(DateTimeOffset now)
    {
        foreach (var (participantId, seen) in _lastSeen.Where(p => now - p.Value > _options.PresenceTimeout).ToList())
        {
            _lastSeen.Remove(participantId);
            _lastTyping.Remove(participantId);
            Publish(SessionEvents.Presence(Id, new PresenceEntry(participantId, false, seen), RequireSession().LastSeq));
        }
    }

    /// <summary>Runs housekeeping every <see cref="ChatSessionOptions.HousekeepingPeriod"/> while there is something to tend.</summary>
    private void EnsureHousekeeping()
    {
        // KeepAlive: a reply in flight or a member online keeps the session's activation (and its memory of them).
        _housekeeping ??= this.RegisterGrainTimer(
            HousekeepAsync,
            new GrainTimerCreationOptions(_options.HousekeepingPeriod, _options.HousekeepingPeriod) { KeepAlive = true });
    }

    private async Task HousekeepAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await TendRepliesAsync(now);
        ExpirePresence(now);
        if (_replies.Count == 0 && _lastSeen.Count == 0)
        {
            _housekeeping?.Dispose();
            _housekeeping = null;
        }
    }
}
