namespace Sessions.Grains;

/// <summary>
/// Typing and presence: the session checks membership and tells its subscribers; <see cref="SessionPresence"/> knows
/// who is online and who may type again.
/// </summary>
public sealed partial class ChatSessionGrain
{
    public Task<bool> SetTypingAsync(string participantId, bool typing)
    {
        var session = RequireSession();
        RequireMember(participantId, "participant_id");
        Beat(participantId);
        if (!_presence.Typing(participantId, typing))
        {
            return Task.FromResult(false);
        }

        Publish(SessionEvents.Typing(Id, participantId, typing, session.LastSeq));
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<PresenceEntry>> HeartbeatAsync(string participantId)
    {
        RequireSession();
        RequireMember(participantId, "participant_id");
        Beat(participantId);
        return GetPresenceAsync();
    }

    public Task<IReadOnlyList<PresenceEntry>> GetPresenceAsync()
    {
        var session = RequireSession();
        string[] members = session.AgentId is { } agent ? [session.InitiatorId, session.PeerId, agent] : [session.InitiatorId, session.PeerId];
        return Task.FromResult(_presence.Of(members));
    }

    private void Beat(string participantId)
    {
        if (_presence.Beat(participantId) is { } online)
        {
            Publish(SessionEvents.Presence(Id, online, RequireSession().LastSeq));
            EnsureHousekeeping();
        }
    }
}
