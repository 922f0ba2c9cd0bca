using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests.Inbox;

public sealed class InboxGrainTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_inbox_lists_sessions_by_last_activity_with_unread_counts_of_what_others_sent()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var alice = await silo.NewParticipantAsync("alice");
        var bob = await silo.NewParticipantAsync("bob");
        var carol = await silo.NewParticipantAsync("carol");
        var dave = await silo.NewParticipantAsync("dave");
        var withBob = await silo.NewSessionAsync(alice, bob);
        var withCarol = await silo.NewSessionAsync(carol, alice);
        var withDave = await silo.NewSessionAsync(alice, dave);
        var quiet = await silo.NewSessionAsync(bob, alice);

        await silo.Session(withBob.Id).AppendAsync(Messages.Text(bob, "from bob"));
        await silo.Session(withDave.Id).AppendAsync(Messages.Text(alice, "to dave"));
        await silo.Session(withCarol.Id).AppendAsync(Messages.Text(carol, "one"));
        await silo.Session(withCarol.Id).AppendAsync(Messages.Text(carol, "two"));

        var inbox = silo.Inbox(alice);
        await silo.InboxMatchesTablesAsync(database.ConnectionString, alice);
        var first = await inbox.ListAsync(new InboxQuery(null, 2));
        var second = await inbox.ListAsync(new InboxQuery(first.NextCursor, 2));

        Assert.Equal([withCarol.Id, withDave.Id], first.Sessions.Select(e => e.SessionId));
        Assert.Equal([withBob.Id, quiet.Id], second.Sessions.Select(e => e.SessionId));
        Assert.NotNull(first.NextCursor);
        Assert.Null(second.NextCursor);
        var carolEntry = first.Sessions[0];
        Assert.Equal((2L, 0L, 2L), (carolEntry.LastSeq, carolEntry.LastReadSeq, carolEntry.UnreadCount));
        Assert.Equal(("two", carol, 2L), (carolEntry.LastMessage!.Preview, carolEntry.LastMessage.SenderId, carolEntry.LastMessage.Seq));
        Assert.Equal(carolEntry.LastMessage.CreatedAt, carolEntry.LastActivityAt);
        Assert.Equal(0, first.Sessions[1].UnreadCount);
        Assert.Equal(1, second.Sessions[0].UnreadCount);
        Assert.Null(second.Sessions[1].LastMessage);
        Assert.Equal(quiet.CreatedAt, second.Sessions[1].LastActivityAt);
        Assert.Equal(await InboxOracle.ExpectedAsync(database.ConnectionString, alice), [.. first.Sessions.Concat(second.Sessions).Select(InboxOracle.Of)]);
    }

    [Fact]
    public async Task Marking_read_moves_the_cursor_forward_only_and_recounts_what_is_unread()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var alice = await silo.NewParticipantAsync("alice");
        var bob = await silo.NewParticipantAsync("bob");
        var session = await silo.NewSessionAsync(alice, bob);
        for (var i = 1; i <= 3; i++)
        {
            await silo.Session(session.Id).AppendAsync(Messages.Text(bob, $"b{i}"));
        }

        var inbox = silo.Inbox(alice);
        var atTwo = await inbox.MarkReadAsync(session.Id, 2);
        var back = await inbox.MarkReadAsync(session.Id, 1);
        await silo.Session(session.Id).AppendAsync(Messages.Text(alice, "mine is never unread"));
        var afterOwn = await inbox.EntryEventuallyAsync(session.Id, e => e.LastSeq == 4, "alice's own message is in her inbox");
        var all = await inbox.MarkReadAsync(session.Id, 4);

        Assert.Equal((2L, 1L), (atTwo.LastReadSeq, atTwo.UnreadCount));
        Assert.Equal(atTwo, back);
        Assert.Equal((2L, 1L), (afterOwn.LastReadSeq, afterOwn.UnreadCount));
        Assert.Equal((4L, 0L), (all.LastReadSeq, all.UnreadCount));
        Assert.Equal(4, await Db.CountAsync(database.ConnectionString, "select last_read_seq from read_cursors where session_id = $1 and participant_id = $2", session.Id, alice));
        Assert.Equal(await InboxOracle.ExpectedAsync(database.ConnectionString, alice), (await inbox.ListAllAsync()).Select(InboxOracle.Of));
    }

    [Fact]
    public async Task Marking_read_is_refused_for_unknown_sessions_strangers_and_values_outside_the_log()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var alice = await silo.NewParticipantAsync("alice");
        var bob = await silo.NewParticipantAsync("bob");
        var stranger = await silo.NewParticipantAsync("eve");
        var session = await silo.NewSessionAsync(alice, bob);
        await silo.Session(session.Id).AppendAsync(Messages.Text(bob, "one"));

        var unknown = await Assert.ThrowsAsync<SessionException>(() => silo.Inbox(alice).MarkReadAsync($"s-{Guid.NewGuid():N}", 0));
        var outsider = await Assert.ThrowsAsync<SessionException>(() => silo.Inbox(stranger).MarkReadAsync(session.Id, 1));
        var pastEnd = await Assert.ThrowsAsync<SessionException>(() => silo.Inbox(alice).MarkReadAsync(session.Id, 2));
        var negative = await Assert.ThrowsAsync<SessionException>(() => silo.Inbox(alice).MarkReadAsync(session.Id, -1));

        Assert.Equal(SessionErrors.SessionNotFound, unknown.Code);
        Assert.Equal(SessionErrors.ParticipantNotInSession, outsider.Code);
        Assert.Equal((SessionErrors.Validation, "last_seq"), (pastEnd.Code, pastEnd.Details[SessionErrors.FieldDetail]));
        Assert.Equal((SessionErrors.Validation, "last_seq"), (negative.Code, negative.Details[SessionErrors.FieldDetail]));
        Assert.Equal(0, await Db.CountAsync(database.ConnectionString, "select count(*) from read_cursors where session_id = $1", session.Id));
    }

    [Fact]
    public async Task An_unknown_participant_has_no_inbox_and_a_bad_query_is_a_validation_error()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var alice = await silo.NewParticipantAsync("alice");
        var nobody = silo.Inbox($"nobody-{Guid.NewGuid():N}");

        var list = await Assert.ThrowsAsync<SessionException>(() => nobody.ListAsync(new InboxQuery(null, 10)));
        var badCursor = await Assert.ThrowsAsync<SessionException>(() => silo.Inbox(alice).ListAsync(new InboxQuery("not-a-cursor", 10)));
        var badLimit = await Assert.ThrowsAsync<SessionException>(() => silo.Inbox(alice).ListAsync(new InboxQuery(null, 0)));
        var empty = await silo.Inbox(alice).ListAsync(new InboxQuery(null, 10));

        Assert.Equal(SessionErrors.ParticipantNotFound, list.Code);
        Assert.Equal((SessionErrors.Validation, "cursor"), (badCursor.Code, badCursor.Details[SessionErrors.FieldDetail]));
        Assert.Equal((SessionErrors.Validation, "limit"), (badLimit.Code, badLimit.Details[SessionErrors.FieldDetail]));
        Assert.Empty(empty.Sessions);
        Assert.Null(empty.NextCursor);
        await Eventually.TrueAsync(() => !silo.IsActive(nobody), "the activation for the unknown participant goes away");
    }

    [Fact]
    public async Task Previews_are_the_text_or_compact_json_cut_without_splitting_a_surrogate_pair_and_survive_a_reload()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:Inbox:MaxPreviewLength"] = "12" });
        var alice = await silo.NewParticipantAsync("alice");
        var bob = await silo.NewParticipantAsync("bob");
        var text = await silo.NewSessionAsync(alice, bob);
        var json = await silo.NewSessionAsync(alice, bob);
        await silo.Session(text.Id).AppendAsync(Messages.Text(bob, "hello world\U0001F600 and more"));
        await silo.Session(json.Id).AppendAsync(new AppendMessageCommand(bob, "tool_call", JsonSerializer.SerializeToElement(new { text = 42, k = "é" }), null, null, null));
        var inbox = silo.Inbox(alice);

        var live = await Eventually.ReturnsAsync(async () => await inbox.ListAllAsync() is { Count: 2 } all && all.All(e => e.LastSeq == 1) ? all : null, "both messages are in the inbox");
        await silo.DeactivateAsync(inbox);
        var reloaded = await inbox.ListAllAsync();

        Assert.Equal("hello world", live.Single(e => e.SessionId == text.Id).LastMessage!.Preview);
        Assert.Equal("""{"k":"é","te""", live.Single(e => e.SessionId == json.Id).LastMessage!.Preview);
        Assert.Equal(live, reloaded);
    }
}
