using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

/// <summary>
/// The append answered in wire form (<see cref="IChatSessionGrain.AppendJsonAsync"/>): the bytes are the stored
/// message exactly as pages and events carry it, and the message's place travels beside them.
/// </summary>
public sealed class AppendJsonTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_answer_is_the_stored_message_as_a_page_carries_it_and_a_replay_answers_with_the_same_bytes()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        // Written the way the database will not keep it (spaces, key order, 1e3, escapes), so the answer must be what it stored.
        var content = Parse("""{ "z": [true, null], "n": 1e3, "text": "caf\u00e9 \ud83d\ude00\n" }""");
        var command = new AppendMessageCommand(session.InitiatorId, "text", content, Parse("""{"lang": "fr"}"""), "c-1", null);

        var appended = await grain.AppendJsonAsync(command);
        var replayed = await grain.AppendJsonAsync(command with { Content = Parse("""{"text":"other"}""") });
        var page = await grain.ListMessagesJsonAsync(new MessageQuery(0, null, 10));

        Assert.True(appended.Created);
        Assert.Equal(1, appended.Seq);
        Assert.Equal("c-1", appended.ClientMessageId);
        using var pageJson = JsonDocument.Parse(page.Utf8Json);
        var stored = Assert.Single(pageJson.RootElement.GetProperty("messages").EnumerateArray());
        Assert.Equal(stored.GetRawText(), System.Text.Encoding.UTF8.GetString(appended.Utf8Json));
        Assert.Equal(appended.MessageId, stored.GetProperty("id").GetString());
        Assert.Equal(1000, stored.GetProperty("content").GetProperty("n").GetInt32());
        Assert.False(replayed.Created);
        Assert.Equal(appended.Utf8Json, replayed.Utf8Json);
        Assert.Equal((appended.MessageId, appended.Seq), (replayed.MessageId, replayed.Seq));
    }

    [Fact]
    public async Task Both_forms_of_an_append_store_one_message_and_agree_on_it()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();

        var asRecord = await grain.AppendAsync(Messages.Text(session.InitiatorId, "once", clientMessageId: "c-2"));
        var asJson = await grain.AppendJsonAsync(Messages.Text(session.InitiatorId, "once", clientMessageId: "c-2"));

        Assert.False(asJson.Created);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(asRecord.Message, SessionsJsonContext.Default.ChatMessage), asJson.Utf8Json);
        Assert.Equal([1L], await Db.SeqsAsync(database.ConnectionString, session.Id));
    }

    [Fact]
    public async Task Every_broken_rule_of_an_append_is_named_at_once()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();

        var error = await Assert.ThrowsAsync<SessionException>(() => grain.AppendJsonAsync(new AppendMessageCommand(
            session.InitiatorId, "bad kind!", Parse("""{"n":1e400}"""), Parse("""{"k":"\u0000"}"""), "c\n1", -1)));

        Assert.Equal(SessionErrors.Validation, error.Code);
        Assert.Equal(["client_message_id", "content", "expected_seq", "kind", "metadata"], error.Fields.Keys.Order());
        Assert.Empty(await Db.SeqsAsync(database.ConnectionString, session.Id));
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
