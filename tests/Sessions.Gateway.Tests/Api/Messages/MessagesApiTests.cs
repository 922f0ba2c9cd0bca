using System.Net;
using System.Text.Json;

namespace Sessions.Gateway.Tests.Api.Messages;

public sealed class MessagesApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const int DefaultMaxContentBytes = 64 * 1024;
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Appending_returns_201_with_the_stored_message_at_the_next_seq()
    {
        var (id, alice, bob) = await _client.CreateSessionAsync();

        var first = await (await _client.PostJsonAsync($"/api/sessions/{id}/messages",
            $$$"""{"sender_id":"{{{alice}}}","kind":"text","content":{"text":"hello"},"metadata":{"lang":"en"}}""")).ExpectJsonAsync(HttpStatusCode.Created);
        var secondResponse = await _client.AppendAsync(id, bob, "hi");
        var second = await secondResponse.ExpectJsonAsync(HttpStatusCode.Created);

        Assert.Equal(1, first.GetProperty("seq").GetInt64());
        Assert.Equal(2, second.GetProperty("seq").GetInt64());
        Assert.True(Guid.TryParse(first.GetProperty("id").GetString(), out _));
        Assert.Equal(id, first.GetProperty("session_id").GetString());
        Assert.Equal(alice, first.GetProperty("sender_id").GetString());
        Assert.Equal("text", first.GetProperty("kind").GetString());
        Assert.Equal("hello", first.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal("en", first.GetProperty("metadata").GetProperty("lang").GetString());
        Assert.True(first.GetProperty("created_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.NotNull(secondResponse.Headers.Location);
        var session = await (await _client.GetAsync($"/api/sessions/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, session.GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task The_location_of_a_new_message_reads_it_back()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        await _client.AppendAsync(id, alice, "one");

        var response = await _client.AppendAsync(id, alice, "two");

        var created = await response.ExpectJsonAsync(HttpStatusCode.Created);
        var page = await (await _client.GetAsync(response.Headers.Location)).ExpectJsonAsync(HttpStatusCode.OK);
        var only = Assert.Single(page.GetProperty("messages").EnumerateArray());
        Assert.Equal(created.GetProperty("id").GetString(), only.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_replayed_client_message_id_returns_200_with_the_original_and_stores_one_copy()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        var original = await (await _client.AppendAsync(id, alice, "once", clientMessageId: "cm-1")).ExpectJsonAsync(HttpStatusCode.Created);
        await (await _client.AppendAsync(id, alice, "later")).ExpectJsonAsync(HttpStatusCode.Created);

        var replay = await (await _client.AppendAsync(id, alice, "once", clientMessageId: "cm-1")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(original.GetProperty("id").GetString(), replay.GetProperty("id").GetString());
        Assert.Equal(1, replay.GetProperty("seq").GetInt64());
        Assert.Equal("cm-1", replay.GetProperty("client_message_id").GetString());
        Assert.Equal([1L, 2L], await gateway.Database.SeqsAsync(id));
    }

    [Fact]
    public async Task A_stale_expected_seq_is_a_409_with_the_current_seq_and_writes_nothing()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        await _client.AppendAsync(id, alice, "one");
        await _client.AppendAsync(id, alice, "two");

        var response = await _client.PostJsonAsync($"/api/sessions/{id}/messages", RequestBodies.Message(alice, "stale", expectedSeq: 1));

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict, "seq-conflict");
        Assert.Equal(JsonValueKind.Number, problem.GetProperty("current_seq").ValueKind);
        Assert.Equal(2, problem.GetProperty("current_seq").GetInt64());
        Assert.Equal(2, await gateway.Database.MessageCountAsync(id));
    }

    [Fact]
    public async Task A_matching_expected_seq_appends_at_the_next_seq()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        await _client.AppendAsync(id, alice, "one");

        var response = await _client.PostJsonAsync($"/api/sessions/{id}/messages", RequestBodies.Message(alice, "two", expectedSeq: 1));

        Assert.Equal(2, (await response.ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_sender_who_is_not_a_participant_is_a_403_and_writes_nothing()
    {
        var (id, _, _) = await _client.CreateSessionAsync();
        var stranger = await _client.CreateParticipantAsync("mallory");
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.AppendAsync(id, stranger, "let me in");

        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "sender-not-participant");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task Appending_to_an_unknown_session_is_a_404_and_writes_nothing()
    {
        var alice = await _client.CreateParticipantAsync("alice");
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.AppendAsync("0191c0de0000700080000000000000bb", alice, "hello?");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "session-not-found");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task Appending_to_a_closed_session_is_a_409_and_writes_nothing()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        await (await _client.PostJsonAsync($"/api/sessions/{id}/status", """{"status":"closed"}""")).ExpectJsonAsync(HttpStatusCode.OK);

        var response = await _client.AppendAsync(id, alice, "anyone?");

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "session-not-writable");
        Assert.Equal(0, await gateway.Database.MessageCountAsync(id));
    }

    [Fact]
    public async Task Content_over_the_64_KiB_default_is_a_413_and_content_at_the_limit_is_stored()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();

        var tooLarge = await _client.PostJsonAsync($"/api/sessions/{id}/messages", MessageWithContentOfSize(alice, DefaultMaxContentBytes + 1));
        await tooLarge.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge, "content-too-large");
        Assert.Equal(0, await gateway.Database.MessageCountAsync(id));

        var atLimit = await _client.PostJsonAsync($"/api/sessions/{id}/messages", MessageWithContentOfSize(alice, DefaultMaxContentBytes));
        await atLimit.ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("""{"sender_id":"x","kind":"text","content":{"a":1""")]
    [InlineData("""{"sender_id":"x","kind":"text","content":{"a":1}}}""")]
    [InlineData("""{"sender_id":"x",,"kind":"text"}""")]
    [InlineData("""{"sender_id":"x","kind":"text","content":{"a":NaN}}""")]
    [InlineData("")]
    public async Task Malformed_json_is_a_400_invalid_json_and_writes_nothing(string body)
    {
        var (id, _, _) = await _client.CreateSessionAsync();
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync($"/api/sessions/{id}/messages", body);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-json");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Theory]
    [InlineData("""{"sender_id":"SENDER","kind":"text","content":"just text"}""", new[] { "content" })]
    [InlineData("""{"sender_id":"SENDER","kind":"text","content":[1,2]}""", new[] { "content" })]
    [InlineData("""{"sender_id":"SENDER","kind":"text","content":null}""", new[] { "content" })]
    [InlineData("""{"sender_id":"SENDER","kind":"text","content":{},"metadata":"m"}""", new[] { "metadata" })]
    [InlineData("""{"sender_id":"SENDER","kind":"text","content":{},"expected_seq":"1"}""", new[] { "expected_seq" })]
    [InlineData("""{"sender_id":"SENDER","kind":"text","content":{},"expected_seq":1.5}""", new[] { "expected_seq" })]
    [InlineData("""{"sender_id":"SENDER","kind":"text","content":{},"expected_seq":-1}""", new[] { "expected_seq" })]
    [InlineData("""{"sender_id":"SENDER","kind":"text","content":{},"expected_seq":99999999999999999999}""", new[] { "expected_seq" })]
    [InlineData("""{"sender_id":"SENDER","kind":"text","content":{},"client_message_id":7}""", new[] { "client_message_id" })]
    [InlineData("""{"sender_id":"SENDER","kind":"text","content":{},"client_message_id":""}""", new[] { "client_message_id" })]
    [InlineData("""{"sender_id":"SENDER","kind":"bad kind!","content":{}}""", new[] { "kind" })]
    [InlineData("""{"sender_id":5,"kind":"text","content":{}}""", new[] { "sender_id" })]
    [InlineData("""{}""", new[] { "sender_id", "kind", "content" })]
    [InlineData("""{"sender_id":"SENDER"}""", new[] { "kind", "content" })]
    [InlineData("""[{"sender_id":"SENDER"}]""", new[] { "body" })]
    public async Task Invalid_messages_are_a_400_naming_the_fields_and_write_nothing(string template, string[] fields)
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync($"/api/sessions/{id}/messages", template.Replace("SENDER", alice, StringComparison.Ordinal));

        await response.ExpectValidationProblemAsync(fields);
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task Pages_read_forward_with_after_seq_and_backward_with_before_seq_in_seq_order()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        for (var i = 1; i <= 5; i++)
        {
            await (await _client.AppendAsync(id, alice, $"m{i}")).ExpectJsonAsync(HttpStatusCode.Created);
        }

        var forward = await (await _client.GetAsync($"/api/sessions/{id}/messages?after_seq=1&limit=2")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal([2L, 3L], Seqs(forward));
        Assert.Equal(3, forward.GetProperty("next_after_seq").GetInt64());

        var rest = await (await _client.GetAsync($"/api/sessions/{id}/messages?after_seq=3&limit=50")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal([4L, 5L], Seqs(rest));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_after_seq").ValueKind);

        var newest = await (await _client.GetAsync($"/api/sessions/{id}/messages?limit=2")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal([4L, 5L], Seqs(newest));
        Assert.Equal(4, newest.GetProperty("next_before_seq").GetInt64());

        var older = await (await _client.GetAsync($"/api/sessions/{id}/messages?before_seq=4&limit=10")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal([1L, 2L, 3L], Seqs(older));
        Assert.Equal(JsonValueKind.Null, older.GetProperty("next_before_seq").ValueKind);
        Assert.Equal("m1", older.GetProperty("messages")[0].GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_empty_session_has_an_empty_page()
    {
        var (id, _, _) = await _client.CreateSessionAsync();

        var page = await (await _client.GetAsync($"/api/sessions/{id}/messages")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, page.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Listing_the_messages_of_an_unknown_session_is_a_404()
    {
        var response = await _client.GetAsync("/api/sessions/0191c0de0000700080000000000000cc/messages");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "session-not-found");
    }

    [Theory]
    [InlineData("after_seq=-1", new[] { "after_seq" })]
    [InlineData("before_seq=-3", new[] { "before_seq" })]
    [InlineData("after_seq=abc", new[] { "after_seq" })]
    [InlineData("after_seq=9223372036854775808", new[] { "after_seq" })]
    [InlineData("before_seq=1e3", new[] { "before_seq" })]
    [InlineData("limit=0", new[] { "limit" })]
    [InlineData("limit=501", new[] { "limit" })]
    [InlineData("limit=-1", new[] { "limit" })]
    [InlineData("limit=2147483648", new[] { "limit" })]
    [InlineData("limit=%2B5", new[] { "limit" })]
    [InlineData("after_seq=-1&before_seq=x&limit=huge", new[] { "after_seq", "before_seq", "limit" })]
    public async Task Bad_paging_values_are_a_400_naming_them(string query, string[] fields)
    {
        var (id, _, _) = await _client.CreateSessionAsync();

        var response = await _client.GetAsync($"/api/sessions/{id}/messages?{query}");

        await response.ExpectValidationProblemAsync(fields);
    }

    [Fact]
    public async Task The_largest_seq_is_a_valid_bound()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        await _client.AppendAsync(id, alice, "only");

        var page = await (await _client.GetAsync($"/api/sessions/{id}/messages?before_seq={long.MaxValue}")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal([1L], Seqs(page));
    }

    private static long[] Seqs(JsonElement page) =>
        page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToArray();

    /// <summary>A message whose content is exactly <paramref name="bytes"/> bytes of compact JSON.</summary>
    private static string MessageWithContentOfSize(string sender, int bytes)
    {
        const string Wrapper = """{"t":""}""";
        var content = $$"""{"t":"{{new string('x', bytes - Wrapper.Length)}}"}""";
        Assert.Equal(bytes, content.Length);
        return $$"""{"sender_id":"{{sender}}","kind":"text","content":{{content}}}""";
    }
}
