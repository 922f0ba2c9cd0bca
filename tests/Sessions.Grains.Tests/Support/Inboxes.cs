using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

/// <summary>Participants shared by several sessions, and whole inboxes read page by page, for the inbox tests.</summary>
internal static class Inboxes
{
    public static IInboxGrain Inbox(this ChatSilo silo, string participantId) => silo.Grains.GetGrain<IInboxGrain>(participantId);

    public static async Task<string> NewParticipantAsync(this ChatSilo silo, string name, ParticipantKind kind = ParticipantKind.Human)
    {
        var id = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
        Assert.NotNull(await silo.Participants.TryInsertAsync(id, kind, name, null, CancellationToken.None));
        return id;
    }

    public static async Task<ChatSession> NewSessionAsync(this ChatSilo silo, string initiator, string peer, string? agent = null) =>
        await silo.Session($"s-{Guid.NewGuid():N}").CreateAsync(new CreateSessionCommand(initiator, peer, agent, "", null, null));

    /// <summary>Every entry of the inbox, read in pages of <paramref name="pageSize"/> through the cursors.</summary>
    public static async Task<List<InboxEntry>> ListAllAsync(this IInboxGrain inbox, int pageSize = 3)
    {
        var entries = new List<InboxEntry>();
        string? cursor = null;
        do
        {
            var page = await inbox.ListAsync(new InboxQuery(cursor, pageSize));
            Assert.True(page.Sessions.Count <= pageSize);
            entries.AddRange(page.Sessions);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return entries;
    }

    /// <summary>The entry of <paramref name="sessionId"/> once it satisfies <paramref name="condition"/> (notices are one-way, so they land a moment later).</summary>
    public static Task<InboxEntry> EntryEventuallyAsync(this IInboxGrain inbox, string sessionId, Func<InboxEntry, bool> condition, string what) =>
        Eventually.ReturnsAsync(async () => (await inbox.ListAllAsync(100)).SingleOrDefault(e => e.SessionId == sessionId) is { } entry && condition(entry) ? entry : null, what);
}
