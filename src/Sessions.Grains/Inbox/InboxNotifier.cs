using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// Tells the inboxes of a session's participants that it changed. The calls are one-way: the session grain neither
/// waits for the inboxes nor hears of their failures, so an inbox can never slow or fail an append. A notice lost
/// with a failing silo is repaired by the inbox's reconcile timer.
/// </summary>
internal static class InboxNotifier
{
    /// <summary>After a committed create, append (<paramref name="message"/>) or status change of <paramref name="session"/>.</summary>
    public static void SessionChanged(IGrainFactory grains, ChatSession session, ChatMessage? message = null)
    {
        var notice = new InboxNotice(session, message);
        string?[] participants = [session.InitiatorId, session.PeerId, session.AgentId];
        foreach (var participant in participants.Distinct(StringComparer.Ordinal))
        {
            if (participant is not null)
            {
                grains.GetGrain<IInboxGrain>(participant).OnSessionChangedAsync(notice).Ignore();
            }
        }
    }
}
