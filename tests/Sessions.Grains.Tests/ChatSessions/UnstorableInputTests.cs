using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

/// <summary>
/// The text rule (<see cref="Storage.Text.StorableText"/>) for callers that skip the gateway: a cluster client's NUL, unpaired
/// surrogate or oversized number is a validation error naming the field, never a database error, and writes nothing.
/// </summary>
public sealed class UnstorableInputTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    public static TheoryData<string, string?, string?, string?> UnstorableAppends => new()
    {
        // field, content JSON, metadata JSON, client_message_id
        { "content", """{"text":"a\u0000b"}""", null, null },
        { "content", """{"te\u0000xt":"ab"}""", null, null },
        { "content", """{"a":[{"b":{"\u0000":1}}]}""", null, null },
        { "content", """{"n":1e400}""", null, null },
        { "content", """{"n":[0.5e-1000]}""", null, null },
        { "metadata", """{}""", """{"k":"\u0000"}""", null },
        { "metadata", """{}""", """{"\u0000":"v"}""", null },
        { "metadata", """{}""", """{"n":-1e99999}""", null },
        { "client_message_id", """{}""", null, "c\u0000" },
        { "client_message_id", """{}""", null, "c\n1" },
        { "client_message_id", """{}""", null, "\u001b[2J" },
        { "client_message_id", """{}""", null, "c\u0085" },
    };

    [Theory]
    [MemberData(nameof(UnstorableAppends))]
    public async Task An_append_with_unstorable_text_from_a_cluster_client_is_a_validation_error_and_stores_nothing(
        string field, string? content, string? metadata, string? clientMessageId)
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();

        var error = await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(
            new AppendMessageCommand(session.InitiatorId, "text", Parse(content!), metadata is null ? null : Parse(metadata), clientMessageId, null)));

        Assert.Equal(SessionErrors.Validation, error.Code);
        Assert.Equal(field, error.Details["field"]);
        Assert.Empty(await Db.SeqsAsync(database.ConnectionString, session.Id));
        Assert.Equal(1, (await grain.AppendAsync(Messages.Text(session.InitiatorId, "still fine"))).Message.Seq);
    }

    [Theory]
    [InlineData("""{"text":"\ud800"}""")]
    [InlineData("""{"\udc00":1}""")]
    [InlineData("""{"a":["\ud83d\u0041"]}""")]
    public async Task Content_with_an_escaped_half_surrogate_pair_is_refused_and_stores_nothing(string content)
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();

        // The content crosses the call as its UTF-8 JSON text, escapes and all, so the grain sees it as sent and refuses it.
        var error = await Assert.ThrowsAsync<SessionException>(() =>
            grain.AppendAsync(new AppendMessageCommand(session.InitiatorId, "text", Parse(content), null, null, null)));

        Assert.Equal(SessionErrors.Validation, error.Code);
        Assert.Equal("content", error.Details["field"]);
        Assert.Empty(await Db.SeqsAsync(database.ConnectionString, session.Id));
    }

    [Fact]
    public async Task A_sender_id_with_a_nul_is_a_validation_error_not_a_lookup()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();

        var error = await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId + "\0", "hi")));

        Assert.Equal(SessionErrors.Validation, error.Code);
        Assert.Equal("sender_id", error.Details["field"]);
        Assert.Empty(await Db.SeqsAsync(database.ConnectionString, session.Id));
    }

    [Fact]
    public async Task Content_bytes_that_are_not_utf8_never_reach_the_database_as_they_were()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        using var document = JsonDocument.Parse((byte[])[.. """{"k":"a"""u8, 0xFF, 0xC0, 0x80, .. """b"}"""u8]);

        // The content crosses the call as its bytes, unchanged: the grain sees them as sent and refuses them.
        var error = await Assert.ThrowsAsync<SessionException>(() =>
            grain.AppendAsync(new AppendMessageCommand(session.InitiatorId, "text", document.RootElement, null, null, null)));

        Assert.Equal(SessionErrors.Validation, error.Code);
        Assert.Equal("content", error.Details["field"]);
        Assert.Empty(await Db.SeqsAsync(database.ConnectionString, session.Id));
    }

    private static (string Field, CreateSessionCommand Command)[] UnstorableCreates(string alice, string bob, string agent) =>
    [
        ("initiator_id", new(alice + "\0", bob, null, "chat", null, null)),
        ("peer_id", new(alice, "\0", null, "chat", null, null)),
        ("agent_id", new(alice, bob, agent + "\0x", "chat", null, null)),
        ("kind", new(alice, bob, null, "ch\0at", null, null)),
        ("task_id", new(alice, bob, null, "chat", null, "t\0")),
        ("task_id", new(alice, bob, null, "chat", null, "t\r\n")),
        ("metadata", new(alice, bob, null, "chat", Parse("""{"k\u0000":1}"""), null)),
        ("metadata", new(alice, bob, null, "chat", Parse("""{"k":1e-99999}"""), null)),
    ];

    [Fact]
    public async Task A_create_with_unstorable_text_in_any_field_is_a_validation_error_naming_it_and_leaves_no_row()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (_, existing) = await silo.CreateSessionAsync(withAgent: true);
        var before = await Db.CountAsync(database.ConnectionString, "select count(*) from chat_sessions");

        foreach (var (field, command) in UnstorableCreates(existing.InitiatorId, existing.PeerId, existing.AgentId!))
        {
            var error = await Assert.ThrowsAsync<SessionException>(() => silo.Session($"s-{Guid.NewGuid():N}").CreateAsync(command));

            Assert.True(error.Code == SessionErrors.Validation && error.Details.GetValueOrDefault("field") == field,
                $"{field}: got {error.Code} {string.Join(",", error.Details)}: {error.Message}");
        }

        Assert.Equal(before, await Db.CountAsync(database.ConnectionString, "select count(*) from chat_sessions"));
    }

    [Fact]
    public async Task A_session_key_with_a_nul_is_no_session_and_cannot_be_created()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (_, existing) = await silo.CreateSessionAsync();
        var grain = silo.Session($"s-{Guid.NewGuid():N}\0");

        var missing = await Assert.ThrowsAsync<SessionException>(() => grain.GetAsync());
        var create = await Assert.ThrowsAsync<SessionException>(() =>
            grain.CreateAsync(new CreateSessionCommand(existing.InitiatorId, existing.PeerId, null, "chat", null, null)));

        Assert.Equal(SessionErrors.SessionNotFound, missing.Code);
        Assert.Equal(SessionErrors.Validation, create.Code);
        Assert.Equal("id", create.Details["field"]);
    }

    [Fact]
    public async Task Control_characters_surrogate_pairs_and_numbers_in_a_doubles_range_are_fine_in_content_and_metadata()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        const string Text = "tab\tnew line\n\u0001\u007f\u0085 😀";

        var sent = await grain.AppendAsync(new AppendMessageCommand(
            session.InitiatorId,
            "text",
            JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["text"] = Text, [Text] = 1.7976931348623157e308 }),
            Parse("""{"n":4.9e-324,"\t":"\n"}"""),
            "client-1",
            null));

        Assert.Equal(Text, sent.Message.Content.GetProperty("text").GetString());
        Assert.Equal(double.MaxValue, sent.Message.Content.GetProperty(Text).GetDouble());
        Assert.Equal("\n", sent.Message.Metadata!.Value.GetProperty("\t").GetString());
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
