namespace Sessions.Grains;

/// <summary>
/// Who of a session is online, and who typed when: ephemeral, in memory only. A member is online from its first sign of
/// life (<see cref="Beat"/>) until <see cref="ChatSessionOptions.PresenceTimeout"/> passes without one
/// (<see cref="Expire"/>). Each method says what changed; the session's grain tells its subscribers and keeps the
/// housekeeping timer that calls <see cref="Expire"/>. Membership is the grain's check, made before it calls in here.
/// </summary>
internal sealed class SessionPresence(TimeSpan presenceTimeout, TimeSpan typingInterval, TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _lastSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastTyping = new(StringComparer.Ordinal);

    /// <summary>Whether nobody is online (then nothing is left to expire).</summary>
    public bool IsEmpty => _lastSeen.Count == 0;

    /// <summary>A sign of life from <paramref name="participantId"/>; returns its entry if it just came online, else null.</summary>
    public PresenceEntry? Beat(string participantId)
    {
        var now = time.GetUtcNow();
        var wasOnline = _lastSeen.ContainsKey(participantId);
        _lastSeen[participantId] = now;
        return wasOnline ? null : new PresenceEntry(participantId, true, now);
    }

    /// <summary>
    /// Whether a typing signal goes out: a start at most once per <see cref="ChatSessionOptions.TypingInterval"/> (more
    /// are dropped), a stop always, and a start right after a stop.
    /// </summary>
    public bool Typing(string participantId, bool typing)
    {
        var now = time.GetUtcNow();
        if (typing && _lastTyping.TryGetValue(participantId, out var last) && now - last < typingInterval)
        {
            return false;
        }

        _lastTyping[participantId] = typing ? now : DateTimeOffset.MinValue;
        return true;
    }

    /// <summary>Each of <paramref name="members"/>, online (with when it was last seen) or not.</summary>
    public IReadOnlyList<PresenceEntry> Of(IEnumerable<string> members) =>
        [.. members.Select(m => _lastSeen.TryGetValue(m, out var seen) ? new PresenceEntry(m, true, seen) : new PresenceEntry(m, false, null))];

    /// <summary>Takes offline everyone silent for longer than the timeout; returns them as they were last seen.</summary>
    public IReadOnlyList<PresenceEntry> Expire()
    {
        var now = time.GetUtcNow();
        var gone = _lastSeen.Where(p => now - p.Value > presenceTimeout).Select(p => new PresenceEntry(p.Key, false, p.Value)).ToList();
        foreach (var entry in gone)
        {
            _lastSeen.Remove(entry.ParticipantId);
            _lastTyping.Remove(entry.ParticipantId);
        }

        return gone;
    }
}
