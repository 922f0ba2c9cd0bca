using Sessions.Abstractions;
using Sessions.Storage.Inbox;
using Sessions.Storage.Messages;
using Sessions.Storage.Tests.Support;

namespace Sessions.Storage.Tests.Inbox;

public sealed class InboxStoreTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly Seed _seed = new(database.DataSource);
    private readonly InboxStore _store = new(database.DataSource);
    private readonly ReadCursorStore _cursors = new(database.DataSource);

    [Fact]
    public async Task An_unknown_participant_loads_as_null_and_one_without_sessions_as_empty()
    {
        var lonely = await _seed.ParticipantAsync();

        Assert.Null(await _store.LoadAsync(Seed.NewId("nobody"), 200, CancellationToken.None));
        Assert.Empty((await _store.LoadAsync(lonely, 200, CancellationToken.None))!);
    }

    [Fact]
    public async Task Every_role_counts_once_and_unread_counts_only_others_after_the_cursor()
    {
        var (alice, bob, agent) = (await _seed.ParticipantAsync(), await _seed.ParticipantAsync(), await _seed.ParticipantAsync(ParticipantKind.Agent));
        var asInitiator = await _seed.SessionAsync(alice, bob);
        var asPeer = await _seed.SessionAsync(bob, alice, agent);
        var asAgent = await _seed.SessionAsync(bob, await _seed.ParticipantAsync(), alice);
        await AppendAsync(asInitiator, bob, "b1");
        await AppendAsync(asInitiator, alice, "a2");
        await AppendAsync(asInitiator, bob, "b3");
        await AppendAsync(asInitiator, bob, "b4");
        await _cursors.MoveForwardAsync(asInitiator.Id, alice, 3, 4, CancellationToken.None);

        var rows = (await _store.LoadAsync(alice, 200, CancellationToken.None))!.ToDictionary(r => r.SessionId);

        Assert.Equal(new[] { asAgent.Id, asInitiator.Id, asPeer.Id }.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        var row = rows[asInitiator.Id];
        Assert.Equal((4L, 3L, 1L, SessionStatus.Active), (row.LastSeq, row.LastReadSeq, row.UnreadCount, row.Status));
        Assert.Equal((4L, bob, "text", """{"text": "b4"}"""), (row.LastMessage!.Seq, row.LastMessage.SenderId, row.LastMessage.Kind, row.LastMessage.Content.GetRawText()));
        Assert.Equal(row.LastMessage.CreatedAt, row.LastActivityAt);
        Assert.Null(rows[asPeer.Id].LastMessage);
        Assert.Equal(asPeer.CreatedAt, rows[asPeer.Id].LastActivityAt);
        Assert.Equal(asPeer.UpdatedAt, rows[asPeer.Id].UpdatedAt);
    }

    [Fact]
    public async Task A_long_text_travels_cut_to_the_preview_length_in_code_points_and_other_content_whole()
    {
        var (alice, bob) = (await _seed.ParticipantAsync(), await _seed.ParticipantAsync());
        var text = await _seed.SessionAsync(alice, bob);
        var json = await _seed.SessionAsync(alice, bob);
        await AppendAsync(text, bob, "ab\U0001F600cdef");
        await AppendAsync(json, bob, """{"text": 7, "more": "x"}""", raw: true);

        var rows = (await _store.LoadSessionsAsync(alice, [text.Id, json.Id], 4, CancellationToken.None)).ToDictionary(r => r.SessionId);

        Assert.Equal("ab\U0001F600c", rows[text.Id].LastMessage!.Content.GetProperty("text").GetString());
        Assert.Equal("""{"more": "x", "text": 7}""", rows[json.Id].LastMessage!.Content.GetRawText());
    }

    [Fact]
    public async Task Loading_named_sessions_leaves_out_those_the_participant_is_not_in()
    {
        var (alice, bob) = (await _seed.ParticipantAsync(), await _seed.ParticipantAsync());
        var mine = await _seed.SessionAsync(alice, bob);
        var others = await _seed.SessionAsync();

        var rows = await _store.LoadSessionsAsync(alice, [mine.Id, others.Id, Seed.NewId("none")], 200, CancellationToken.None);

        Assert.Equal(mine.Id, Assert.Single(rows).SessionId);
    }

    [Fact]
    public async Task Heads_give_each_sessions_last_seq_status_and_cursor()
    {
        var (alice, bob) = (await _seed.ParticipantAsync(), await _seed.ParticipantAsync());
        var session = await _seed.SessionAsync(bob, alice);
        await AppendAsync(session, bob, "one");
        await AppendAsync(session, bob, "two");
        await _cursors.MoveForwardAsync(session.Id, alice, 1, 2, CancellationToken.None);
        await _seed.Sessions.TryChangeStatusAsync(session.Id, SessionStatus.Active, SessionStatus.Suspended, CancellationToken.None);

        var head = Assert.Single(await _store.ReadHeadsAsync(alice, CancellationToken.None));

        Assert.Equal(new InboxHead(session.Id, SessionStatus.Suspended, 2, 1), head);
    }

    private async Task AppendAsync(ChatSession session, string sender, string text, bool raw = false)
    {
        var lastSeq = (await _seed.Sessions.GetAsync(session.Id, CancellationToken.None))!.LastSeq;
        var content = raw ? Seed.Json(text) : System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["text"] = text });
        var outcome = await _seed.Messages.TryAppendAsync(new NewMessage(Guid.CreateVersion7(), session.Id, sender, "text", content, null, null), lastSeq, CancellationToken.None);
        Assert.IsType<AppendOutcome.Appended>(outcome);
    }
}
