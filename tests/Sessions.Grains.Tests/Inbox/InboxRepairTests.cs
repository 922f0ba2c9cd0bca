using Sessions.Abstractions;

namespace Sessions.Grains.Tests.Inbox;

/// <summary>Notices are one-way: lost, repeated or out of order, the inbox still ends up what the tables say.</summary>
public sealed class InboxRepairTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Changes_no_notice_told_of_are_repaired_by_the_reconcile_timer()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:Inbox:ReconcilePeriod"] = "00:00:00.200" });
        var alice = await silo.NewParticipantAsync("alice");
        var bob = await silo.NewParticipantAsync("bob");
        var session = await silo.NewSessionAsync(alice, bob);
        await silo.Session(session.Id).AppendAsync(Messages.Text(bob, "told"));
        var inbox = silo.Inbox(alice);
        await inbox.EntryEventuallyAsync(session.Id, e => e.LastSeq == 1, "the told message is in the inbox");

        // As if the notices died with a silo: the log grows, the status moves and a session appears behind the grains' backs.
        await Db.AppendBehindTheGrainsBackAsync(database.ConnectionString, session.Id, bob, "untold");
        Assert.Equal(1, await Db.ExecuteAsync(database.ConnectionString, "update chat_sessions set status = 'suspended', updated_at = now() where id = $1", session.Id));
        var unseen = $"s-{Guid.NewGuid():N}";
        Assert.Equal(1, await Db.ExecuteAsync(database.ConnectionString, "insert into chat_sessions (id, initiator_id, peer_id, kind, status) values ($1, $2, $3, 'chat', 'active')", unseen, bob, alice));

        var repaired = await inbox.EntryEventuallyAsync(session.Id, e => e.LastSeq == 2 && e.Status == SessionStatus.Suspended, "the timer repaired the session's entry");
        await inbox.EntryEventuallyAsync(unseen, _ => true, "the timer found the unseen session");

        Assert.Equal((2L, "untold"), (repaired.UnreadCount, repaired.LastMessage!.Preview));
        await silo.InboxMatchesTablesAsync(database.ConnectionString, alice);
        await silo.InboxMatchesTablesAsync(database.ConnectionString, bob);
    }

    [Fact]
    public async Task A_notice_that_skips_a_seq_makes_the_inbox_reread_the_session_at_once()
    {
        // The timer is far off (the default 30 s): only the reread can repair the entry within the wait.
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var alice = await silo.NewParticipantAsync("alice");
        var bob = await silo.NewParticipantAsync("bob");
        var session = await silo.NewSessionAsync(alice, bob);
        await silo.Session(session.Id).AppendAsync(Messages.Text(bob, "one"));
        var inbox = silo.Inbox(alice);
        await inbox.EntryEventuallyAsync(session.Id, e => e.LastSeq == 1, "the first message is in the inbox");
        await Db.AppendBehindTheGrainsBackAsync(database.ConnectionString, session.Id, bob, "two, untold");

        // The session grain loses the race for seq 2, appends at the log's end (3) and tells of seq 3 alone.
        var third = await silo.Session(session.Id).AppendAsync(Messages.Text(bob, "three"));

        Assert.Equal(3, third.Message.Seq);
        var entry = await inbox.EntryEventuallyAsync(session.Id, e => e.LastSeq == 3, "the inbox reread the session");
        Assert.Equal((3L, "three"), (entry.UnreadCount, entry.LastMessage!.Preview));
    }

    [Fact]
    public async Task Repeated_and_stale_notices_change_nothing()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var alice = await silo.NewParticipantAsync("alice");
        var bob = await silo.NewParticipantAsync("bob");
        var created = await silo.NewSessionAsync(alice, bob);
        var grain = silo.Session(created.Id);
        var first = (await grain.AppendAsync(Messages.Text(bob, "one"))).Message;
        var afterFirst = await grain.GetAsync();
        var idle = await grain.ChangeStatusAsync(SessionStatus.Idle);
        var active = await grain.ChangeStatusAsync(SessionStatus.Active);
        var inbox = silo.Inbox(alice);
        var settled = await silo.InboxMatchesTablesAsync(database.ConnectionString, alice);
        var observer = new RecordingInboxObserver();
        await inbox.SubscribeAsync(silo.Grains.CreateObjectReference<IInboxObserver>(observer));

        await inbox.OnSessionChangedAsync(new InboxNotice(created, null));
        await inbox.OnSessionChangedAsync(new InboxNotice(afterFirst, first));
        await inbox.OnSessionChangedAsync(new InboxNotice(idle, null));
        await inbox.OnSessionChangedAsync(new InboxNotice(active, null));
        await grain.AppendAsync(Messages.Text(bob, "two"));

        var delta = await Eventually.ReturnsAsync(() => Task.FromResult(observer.Deltas.FirstOrDefault()), "the one real change arrives");
        Assert.Equal((2L, SessionStatus.Active, 2L), (delta.Entry.LastSeq, delta.Entry.Status, delta.Entry.UnreadCount));
        Assert.Single(observer.Deltas);
        Assert.Equal(SessionStatus.Active, Assert.Single(settled).Status);
        GC.KeepAlive(observer);
    }
}
