using System.Net;
using System.Text;
using System.Text.Json;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Api.Inbox;

public sealed class InboxApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task The_inbox_lists_sessions_newest_activity_first_with_unread_counts_and_previews()
    {
        var alice = await _client.CreateParticipantAsync("alice");
        var bob = await _client.CreateParticipantAsync("bob");
        var carol = await _client.CreateParticipantAsync("carol");
        var withBob = await CreateSessionAsync(alice, bob);
        var withCarol = await CreateSessionAsync(carol, alice);
        await (await _client.AppendAsync(withBob, bob, "hello alice")).ExpectJsonAsync(HttpStatusCode.Created);
        await (await _client.AppendAsync(withCarol, carol, "one")).ExpectJsonAsync(HttpStatusCode.Created);
        var last = await (await _client.AppendAsync(withCarol, alice, "two")).ExpectJsonAsync(HttpStatusCode.Created);

        var inbox = await InboxEventuallyAsync(alice, body => body.GetProperty("sessions")[0].GetProperty("last_seq").GetInt64() == 2);

        var sessions = inbox.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal([withCarol, withBob], sessions.Select(s => s.GetProperty("session_id").GetString()));
        Assert.Equal(JsonValueKind.Null, inbox.GetProperty("next_cursor").ValueKind);
        var top = sessions[0];
        Assert.Equal(["last_activity_at", "last_message", "last_read_seq", "last_seq", "session_id", "status", "unread_count"], top.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(("active", 0L, 1L), (top.GetProperty("status").GetString(), top.GetProperty("last_read_seq").GetInt64(), top.GetProperty("unread_count").GetInt64()));
        var message = top.GetProperty("last_message");
        Assert.Equal(["created_at", "kind", "message_id", "preview", "sender_id", "seq"], message.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(last.GetProperty("id").GetString(), message.GetProperty("message_id").GetString());
        Assert.Equal((2L, alice, "text", "two"), (message.GetProperty("seq").GetInt64(), message.GetProperty("sender_id").GetString(), message.GetProperty("kind").GetString(), message.GetProperty("preview").GetString()));
        Assert.Equal(last.GetProperty("created_at").GetDateTimeOffset(), message.GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(last.GetProperty("created_at").GetDateTimeOffset(), top.GetProperty("last_activity_at").GetDateTimeOffset());
        Assert.Equal(1, sessions[1].GetProperty("unread_count").GetInt64());
    }

    [Fact]
    public async Task The_inbox_pages_with_limit_and_cursor_and_shows_a_session_without_messages()
    {
        var alice = await _client.CreateParticipantAsync("alice");
        var older = await CreateSessionAsync(alice, await _client.CreateParticipantAsync("bob"));
        var newer = await CreateSessionAsync(await _client.CreateParticipantAsync("carol"), alice);
        await InboxEventuallyAsync(alice, body => body.GetProperty("sessions").GetArrayLength() == 2);

        var first = await (await _client.GetAsync($"/api/participants/{alice}/inbox?limit=1")).ExpectJsonAsync(HttpStatusCode.OK);
        var cursor = first.GetProperty("next_cursor").GetString()!;
        var second = await (await _client.GetAsync($"/api/participants/{alice}/inbox?limit=1&cursor={Uri.EscapeDataString(cursor)}")).ExpectJsonAsync(HttpStatusCode.OK);

        var top = Assert.Single(first.GetProperty("sessions").EnumerateArray());
        Assert.Equal(newer, top.GetProperty("session_id").GetString());
        Assert.Equal(JsonValueKind.Null, top.GetProperty("last_message").ValueKind);
        Assert.Equal((0L, 0L), (top.GetProperty("last_seq").GetInt64(), top.GetProperty("unread_count").GetInt64()));
        Assert.Equal(older, Assert.Single(second.GetProperty("sessions").EnumerateArray()).GetProperty("session_id").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
    }

    [Theory]
    [InlineData("nobody-here")]
    [InlineData("not~an~id")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public async Task The_inbox_of_an_unknown_participant_is_a_404(string id)
    {
        var response = await _client.GetAsync($"/api/participants/{id}/inbox");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "participant-not-found");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=bm90LWEtY3Vyc29y", "cursor")]
    [InlineData("cursor=%00", "cursor")]
    public async Task A_bad_limit_or_cursor_is_a_400(string query, string field)
    {
        var alice = await _client.CreateParticipantAsync("alice");

        var response = await _client.GetAsync($"/api/participants/{alice}/inbox?{query}");

        await response.ExpectValidationProblemAsync(field);
    }

    [Fact]
    public async Task Marking_read_returns_the_entry_and_moves_the_cursor_forward_only()
    {
        var (session, alice, bob) = await _client.CreateSessionAsync();
        await _client.AppendAsync(session, bob, "one");
        await _client.AppendAsync(session, bob, "two");

        var atOne = await (await MarkReadAsync(session, alice, 1)).ExpectJsonAsync(HttpStatusCode.OK);
        var lower = await (await MarkReadAsync(session, alice, 0)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, await gateway.Database.ReadCursorAsync(session, alice));
        var all = await (await MarkReadAsync(session, alice, 2)).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal((session, 2L, 1L, 1L), (atOne.GetProperty("session_id").GetString(), atOne.GetProperty("last_seq").GetInt64(), atOne.GetProperty("last_read_seq").GetInt64(), atOne.GetProperty("unread_count").GetInt64()));
        Assert.Equal(atOne.GetRawText(), lower.GetRawText());
        Assert.Equal((2L, 0L), (all.GetProperty("last_read_seq").GetInt64(), all.GetProperty("unread_count").GetInt64()));
        Assert.Equal(2, await gateway.Database.ReadCursorAsync(session, alice));
        await InboxEventuallyAsync(alice, body => body.GetProperty("sessions")[0].GetProperty("unread_count").GetInt64() == 0);
    }

    [Fact]
    public async Task Marking_read_past_the_end_is_a_400_and_writes_nothing()
    {
        var (session, alice, bob) = await _client.CreateSessionAsync();
        await _client.AppendAsync(session, bob, "one");

        var response = await MarkReadAsync(session, alice, 2);

        await response.ExpectValidationProblemAsync("last_seq");
        Assert.Null(await gateway.Database.ReadCursorAsync(session, alice));
    }

    [Theory]
    [InlineData("s-does-not-exist")]
    [InlineData("not~an~id")]
    public async Task Marking_read_in_an_unknown_session_is_a_404(string session)
    {
        var alice = await _client.CreateParticipantAsync("alice");

        var response = await MarkReadAsync(session, alice, 0);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "session-not-found");
    }

    [Fact]
    public async Task Marking_read_for_someone_outside_the_session_is_a_403_and_writes_nothing()
    {
        var (session, _, bob) = await _client.CreateSessionAsync();
        await _client.AppendAsync(session, bob, "one");
        var stranger = await _client.CreateParticipantAsync("eve");

        var outsider = await MarkReadAsync(session, stranger, 1);
        var unknown = await MarkReadAsync(session, "nobody-at-all", 1);

        await outsider.ExpectProblemAsync(HttpStatusCode.Forbidden, "participant-not-in-session");
        await unknown.ExpectProblemAsync(HttpStatusCode.Forbidden, "participant-not-in-session");
        Assert.Null(await gateway.Database.ReadCursorAsync(session, stranger));
    }

    [Theory]
    [InlineData("""{"last_seq":1}""", "participant_id")]
    [InlineData("""{"participant_id":"","last_seq":1}""", "participant_id")]
    [InlineData("""{"participant_id":"a b","last_seq":1}""", "participant_id")]
    [InlineData("""{"participant_id":"{alice}"}""", "last_seq")]
    [InlineData("""{"participant_id":"{alice}","last_seq":-1}""", "last_seq")]
    [InlineData("""{"participant_id":"{alice}","last_seq":"1"}""", "last_seq")]
    [InlineData("""{"participant_id":"{alice}","last_seq":1.5}""", "last_seq")]
    [InlineData("""[1]""", "body")]
    public async Task Invalid_bodies_are_a_400_naming_the_field(string body, string field)
    {
        var (session, alice, bob) = await _client.CreateSessionAsync();
        await _client.AppendAsync(session, bob, "one");

        var response = await _client.PostJsonAsync($"/api/sessions/{session}/read", body.Replace("{alice}", alice, StringComparison.Ordinal));

        await response.ExpectValidationProblemAsync(field);
        Assert.Null(await gateway.Database.ReadCursorAsync(session, alice));
    }

    [Fact]
    public async Task Malformed_json_a_wrong_media_type_and_an_oversized_body_get_their_own_problems()
    {
        var (session, alice, _) = await _client.CreateSessionAsync();
        var path = $"/api/sessions/{session}/read";

        var malformed = await _client.PostJsonAsync(path, """{"participant_id": """);
        var plainText = await _client.PostAsync(path, HttpApi.JsonContent($$"""{"participant_id":"{{alice}}","last_seq":0}""", "text/plain"));
        var oversized = await RawHttp.SendAsync(_client.BaseAddress!, RawHttp.Post(_client.BaseAddress!, path,
            Encoding.UTF8.GetBytes($$"""{"participant_id":"{{new string('a', 1024 * 1024)}}","last_seq":0}""")));

        await malformed.ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-json");
        await plainText.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await oversized.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Null(await gateway.Database.ReadCursorAsync(session, alice));
    }

    private Task<HttpResponseMessage> MarkReadAsync(string session, string participant, long lastSeq) =>
        _client.PostJsonAsync($"/api/sessions/{session}/read", $$"""{"participant_id":"{{participant}}","last_seq":{{lastSeq}}}""");

    private async Task<string> CreateSessionAsync(string initiator, string peer)
    {
        var response = await _client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{initiator}}","peer_id":"{{peer}}"}""");
        return (await response.ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    /// <summary>The inbox once <paramref name="condition"/> holds: session grains tell inboxes of changes one-way, a moment after they answer.</summary>
    private async Task<JsonElement> InboxEventuallyAsync(string participant, Func<JsonElement, bool> condition)
    {
        var inbox = await Eventually.ReturnsAsync<object>(
            async () =>
            {
                var body = await (await _client.GetAsync($"/api/participants/{participant}/inbox")).ExpectJsonAsync(HttpStatusCode.OK);
                return body.GetProperty("sessions").GetArrayLength() > 0 && condition(body) ? body : null;
            },
            $"the inbox of {participant} is as expected");
        return (JsonElement)inbox;
    }
}
