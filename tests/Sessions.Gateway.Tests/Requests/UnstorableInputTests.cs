using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Sessions.Gateway.Tests.Requests;

/// <summary>
/// Text PostgreSQL cannot store, in every field of every route: a NUL (the escape <c>\u0000</c>) is a 400 validation
/// problem naming the field; bytes that are not UTF-8, or an escaped half of a surrogate pair, are a 400 invalid-json;
/// control characters in path and query values are a 4xx. Nothing is written, and no answer is a 5xx.
/// </summary>
public sealed class UnstorableInputTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = gateway.Client;

    /// <summary>Route, the field the NUL is in, and a body with placeholders for the targets.</summary>
    public static TheoryData<string, string, string> NulInEveryField => new()
    {
        { "/api/participants", "id", """{"id":"p\u0000x","kind":"human"}""" },
        { "/api/participants", "kind", """{"kind":"hu\u0000man"}""" },
        { "/api/participants", "display_name", """{"kind":"human","display_name":"Al\u0000ice"}""" },
        { "/api/participants", "metadata", """{"kind":"human","metadata":{"team":"a\u0000"}}""" },
        { "/api/participants", "metadata", """{"kind":"human","metadata":{"te\u0000am":"a"}}""" },
        { "/api/participants", "metadata", """{"kind":"human","metadata":{"a":{"b":[1,{"\u0000":true}]}}}""" },
        { "/api/sessions", "initiator_id", """{"initiator_id":"{alice}\u0000","peer_id":"{bob}"}""" },
        { "/api/sessions", "peer_id", """{"initiator_id":"{alice}","peer_id":"\u0000{bob}"}""" },
        { "/api/sessions", "agent_id", """{"initiator_id":"{alice}","peer_id":"{bob}","agent_id":"{agent}\u0000"}""" },
        { "/api/sessions", "kind", """{"initiator_id":"{alice}","peer_id":"{bob}","kind":"ch\u0000at"}""" },
        { "/api/sessions", "task_id", """{"initiator_id":"{alice}","peer_id":"{bob}","task_id":"t\u0000"}""" },
        { "/api/sessions", "metadata", """{"initiator_id":"{alice}","peer_id":"{bob}","metadata":{"k":"\u0000"}}""" },
        { "/api/sessions", "metadata", """{"initiator_id":"{alice}","peer_id":"{bob}","metadata":{"\u0000k":"v"}}""" },
        { "/api/sessions/{session}/status", "status", """{"status":"clo\u0000sed"}""" },
        { "/api/sessions/{session}/messages", "sender_id", """{"sender_id":"{alice}\u0000","kind":"text","content":{"text":"hi"}}""" },
        { "/api/sessions/{session}/messages", "kind", """{"sender_id":"{alice}","kind":"te\u0000xt","content":{"text":"hi"}}""" },
        { "/api/sessions/{session}/messages", "content", """{"sender_id":"{alice}","kind":"text","content":{"text":"hi\u0000"}}""" },
        { "/api/sessions/{session}/messages", "content", """{"sender_id":"{alice}","kind":"text","content":{"te\u0000xt":"hi"}}""" },
        { "/api/sessions/{session}/messages", "content", """{"sender_id":"{alice}","kind":"text","content":{"parts":[{"deep":["\u0000"]}]}}""" },
        { "/api/sessions/{session}/messages", "metadata", """{"sender_id":"{alice}","kind":"text","content":{},"metadata":{"m":"\u0000"}}""" },
        { "/api/sessions/{session}/messages", "metadata", """{"sender_id":"{alice}","kind":"text","content":{},"metadata":{"\u0000":1}}""" },
        { "/api/sessions/{session}/messages", "client_message_id", """{"sender_id":"{alice}","kind":"text","content":{},"client_message_id":"c\u0000"}""" },
        // A NUL in a property name at the top: no field has that name, so the body as a whole is named.
        { "/api/participants", "body", """{"kind":"human","ki\u0000nd":"agent"}""" },
        { "/api/sessions/{session}/messages", "body", """{"sender_id":"{alice}","kind":"text","content":{},"\u0000":1}""" },
    };

    [Theory]
    [MemberData(nameof(NulInEveryField))]
    public async Task A_nul_escape_in_any_field_is_a_400_naming_the_field_and_writes_nothing(string route, string field, string body)
    {
        var targets = await TargetsAsync();
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync(targets.Fill(route), targets.Fill(body));

        var problem = await response.ExpectValidationProblemAsync(field);
        Assert.Contains("NUL", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ExpectNothingWrittenAsync(before, targets);
    }

    /// <summary>Route and a body with ‹bad› where the bytes go, in property names and values, at every depth.</summary>
    public static TheoryData<string, string> PlacesForBadBytes => new()
    {
        { "/api/participants", """{"kind":"human","metadata":{"k‹bad›":"v"}}""" },
        { "/api/participants", """{"kind":"human","metadata":{"k":"v‹bad›"}}""" },
        { "/api/participants", """{"kind":"human","metadata":{"a":{"‹bad›":{"c":1}}}}""" },
        { "/api/participants", """{"kind":"human","metadata":{"list":["ok","‹bad›"]}}""" },
        { "/api/participants", """{"kind":"human","display_name":"‹bad›"}""" },
        { "/api/participants", """{"kind":"human","unknown‹bad›":1}""" },
        { "/api/sessions", """{"initiator_id":"{alice}","peer_id":"{bob}","metadata":{"‹bad›":"v"}}""" },
        { "/api/sessions", """{"initiator_id":"{alice}","peer_id":"{bob}","metadata":{"k":["‹bad›"]}}""" },
        { "/api/sessions", """{"initiator_id":"{alice}","peer_id":"{bob}","task_id":"t‹bad›"}""" },
        { "/api/sessions/{session}/status", """{"status":"closed","‹bad›":0}""" },
        { "/api/sessions/{session}/messages", """{"sender_id":"{alice}","kind":"text","content":{"text‹bad›":"hi"}}""" },
        { "/api/sessions/{session}/messages", """{"sender_id":"{alice}","kind":"text","content":{"text":"hi‹bad›"}}""" },
        { "/api/sessions/{session}/messages", """{"sender_id":"{alice}","kind":"text","content":{"a":[[{"b":"‹bad›"}]]}}""" },
        { "/api/sessions/{session}/messages", """{"sender_id":"{alice}","kind":"text","content":{},"metadata":{"‹bad›":1}}""" },
        { "/api/sessions/{session}/messages", """{"sender_id":"{alice}","kind":"text","content":{},"client_message_id":"‹bad›"}""" },
    };

    [Theory]
    [MemberData(nameof(PlacesForBadBytes))]
    public async Task Bytes_that_are_not_utf8_anywhere_are_a_400_invalid_json_and_write_nothing(string route, string body)
    {
        var targets = await TargetsAsync();
        var before = await gateway.Database.CountRowsAsync();

        // A lone byte, a truncated sequence, an overlong NUL, and an encoded surrogate (CESU-style): none is UTF-8.
        foreach (var bad in new byte[][] { [0xFF], [0xE2, 0x82], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x80] })
        {
            var response = await _client.PostAsync(targets.Fill(route), RawJson(targets.Fill(body), bad));

            var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-json");
            Assert.Contains("UTF-8", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await ExpectNothingWrittenAsync(before, targets);
    }

    [Theory]
    [MemberData(nameof(PlacesForBadBytes))]
    public async Task An_escaped_half_of_a_surrogate_pair_anywhere_is_a_400_invalid_json_and_writes_nothing(string route, string body)
    {
        var targets = await TargetsAsync();
        var before = await gateway.Database.CountRowsAsync();

        foreach (var escape in new[] { @"\ud800", @"\uDFFF", @"\udc00\ud800", @"\ud83dx", @"\ud83d\u0041" })
        {
            var response = await _client.PostAsync(targets.Fill(route), RawJson(targets.Fill(body), Encoding.ASCII.GetBytes(escape)));

            var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-json");
            Assert.Contains("surrogate", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await ExpectNothingWrittenAsync(before, targets);
    }

    [Fact]
    public async Task A_whole_surrogate_pair_tab_newline_and_other_control_characters_are_fine_in_free_text_and_read_back_exactly()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        const string Text = "tab\there\nnew line\r\n\u0001\u001f\u007f\u0085 😀 \u2028";
        var escaped = JsonSerializer.Serialize(Text);

        var participant = await (await _client.PostJsonAsync("/api/participants",
            $$$"""{"kind":"human","display_name":{{{escaped}}},"metadata":{{{{escaped}}}:{{{escaped}}}}}""")).ExpectJsonAsync(HttpStatusCode.Created);
        var message = await (await _client.PostJsonAsync($"/api/sessions/{id}/messages",
            $$$"""{"sender_id":"{{{alice}}}","kind":"text","content":{"text":{{{escaped}}},"pair":"\ud83d\ude00"},"metadata":{{{{escaped}}}:1}}""")).ExpectJsonAsync(HttpStatusCode.Created);

        Assert.Equal(Text, participant.GetProperty("display_name").GetString());
        Assert.Equal(Text, participant.GetProperty("metadata").GetProperty(Text).GetString());
        Assert.Equal(Text, message.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal("😀", message.GetProperty("content").GetProperty("pair").GetString());
        Assert.Equal(1, message.GetProperty("metadata").GetProperty(Text).GetInt32());
        var page = await (await _client.GetAsync($"/api/sessions/{id}/messages")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Text, page.GetProperty("messages")[0].GetProperty("content").GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("/api/sessions", "task_id", """{"initiator_id":"{alice}","peer_id":"{bob}","task_id":"t\n1"}""")]
    [InlineData("/api/sessions", "task_id", """{"initiator_id":"{alice}","peer_id":"{bob}","task_id":"\u001b[31m"}""")]
    [InlineData("/api/sessions/{session}/messages", "client_message_id", """{"sender_id":"{alice}","kind":"text","content":{},"client_message_id":"c\t1"}""")]
    [InlineData("/api/sessions/{session}/messages", "client_message_id", """{"sender_id":"{alice}","kind":"text","content":{},"client_message_id":"c\u0085"}""")]
    public async Task A_control_character_in_a_client_chosen_token_is_a_400_naming_it_and_writes_nothing(string route, string field, string body)
    {
        var targets = await TargetsAsync();
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync(targets.Fill(route), targets.Fill(body));

        await response.ExpectValidationProblemAsync(field);
        await ExpectNothingWrittenAsync(before, targets);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e-500")]
    [InlineData("1e200000")]
    [InlineData("1.5e-20000")]
    [InlineData("1e99999999999999999999")]
    public async Task A_number_too_large_or_too_precise_to_store_is_a_400_naming_the_field_and_writes_nothing(string number)
    {
        var targets = await TargetsAsync();
        var before = await gateway.Database.CountRowsAsync();

        var participant = await _client.PostJsonAsync("/api/participants", $$$"""{"kind":"human","metadata":{"n":{{{number}}}}}""");
        var session = await _client.PostJsonAsync("/api/sessions", $$$"""{"initiator_id":"{{{targets.Alice}}}","peer_id":"{{{targets.Bob}}}","metadata":{"a":[{{{number}}}]}}""");
        var message = await _client.PostJsonAsync($"/api/sessions/{targets.SessionId}/messages",
            $$$"""{"sender_id":"{{{targets.Alice}}}","kind":"text","content":{"n":{{{number}}}}}""");

        await participant.ExpectValidationProblemAsync("metadata");
        await session.ExpectValidationProblemAsync("metadata");
        await message.ExpectValidationProblemAsync("content");
        await ExpectNothingWrittenAsync(before, targets);
    }

    [Fact]
    public async Task Numbers_in_a_doubles_range_are_stored_and_come_back_in_plain_decimal()
    {
        var response = await _client.PostJsonAsync("/api/participants", """{"kind":"human","metadata":{"big":1.7976931348623157e308,"tiny":4.9e-324,"n":-12.5e2}}""");

        var metadata = (await response.ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("metadata");
        Assert.Equal(309, metadata.GetProperty("big").GetRawText().Length);
        Assert.Equal(double.Epsilon, metadata.GetProperty("tiny").GetDouble());
        Assert.Equal("-1250", metadata.GetProperty("n").GetRawText());
    }

    [Theory]
    [InlineData("%01")]
    [InlineData("%0A")]
    [InlineData("%0D%0A")]
    [InlineData("%1B")]
    [InlineData("%7F")]
    [InlineData("%C2%85")]
    [InlineData("%FF")]
    [InlineData("%ED%A0%80")]
    public async Task A_control_character_or_bad_encoding_in_a_path_id_is_a_404_on_every_route_and_writes_nothing(string bad)
    {
        var targets = await TargetsAsync();
        var id = targets.SessionId[..4] + bad + targets.SessionId[4..];
        var before = await gateway.Database.CountRowsAsync();

        var responses = new[]
        {
            (await _client.GetAsync($"/api/participants/{targets.Alice}{bad}"), "participant-not-found"),
            (await _client.GetAsync($"/api/sessions/{id}"), "session-not-found"),
            (await _client.GetAsync($"/api/sessions/{id}/messages"), "session-not-found"),
            (await _client.PostJsonAsync($"/api/sessions/{id}/messages", RequestBodies.Message(targets.Alice, "hi")), "session-not-found"),
            (await _client.PostJsonAsync($"/api/sessions/{id}/status", """{"status":"closed"}"""), "session-not-found"),
        };

        foreach (var (response, code) in responses)
        {
            await response.ExpectProblemAsync(HttpStatusCode.NotFound, code);
        }

        await ExpectNothingWrittenAsync(before, targets);
    }

    [Fact]
    public async Task A_nul_in_a_path_is_refused_by_kestrel_with_a_400_before_the_gateway_sees_it()
    {
        var targets = await TargetsAsync();
        var before = await gateway.Database.CountRowsAsync();

        var responses = new[]
        {
            await _client.GetAsync($"/api/participants/{targets.Alice}%00"),
            await _client.GetAsync($"/api/sessions/{targets.SessionId}%00"),
            await _client.PostJsonAsync($"/api/sessions/{targets.SessionId}%00/messages", RequestBodies.Message(targets.Alice, "hi")),
            await _client.PostJsonAsync($"/api/sessions/%00{targets.SessionId}/status", """{"status":"closed"}"""),
        };

        // Kestrel's own answer to an unreadable request target: a 400 with no body, not a problem (no hook reaches it).
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        await ExpectNothingWrittenAsync(before, targets);
    }

    [Theory]
    [InlineData("%00")]
    [InlineData("a%00b")]
    [InlineData("a%01")]
    [InlineData("a%0Ab")]
    [InlineData("%1B%5B31m")]
    [InlineData("a%7F")]
    [InlineData("a%C2%85")]
    public async Task A_control_character_in_the_participant_id_filter_is_a_400_naming_it(string bad)
    {
        var targets = await TargetsAsync();

        var response = await _client.GetAsync($"/api/sessions?participant_id={targets.Alice}{bad}");

        await response.ExpectValidationProblemAsync("participant_id");
    }

    [Fact]
    public async Task A_cursor_that_decodes_to_an_id_with_a_nul_is_a_400_on_both_listings()
    {
        var targets = await TargetsAsync();
        var idCursor = Base64Url.EncodeToString([(byte)'I', .. Encoding.UTF8.GetBytes(targets.Alice), 0]);
        var timeCursor = Base64Url.EncodeToString([(byte)'T', 0x08, 0xDD, 0, 0, 0, 0, 0, 0, (byte)'a', 0, (byte)'b']);

        var participants = await _client.GetAsync($"/api/participants?cursor={idCursor}");
        var sessions = await _client.GetAsync($"/api/sessions?participant_id={targets.Alice}&cursor={timeCursor}");

        await participants.ExpectValidationProblemAsync("cursor");
        await sessions.ExpectValidationProblemAsync("cursor");
    }

    [Theory]
    [InlineData("/api/participants?limit=1%00")]
    [InlineData("/api/participants?limit=%01")]
    [InlineData("/api/participants?cursor=%00")]
    [InlineData("/api/sessions?participant_id=a&status=active%00")]
    [InlineData("/api/sessions?participant_id=a&cursor=%0A")]
    [InlineData("/api/sessions/{session}/messages?after_seq=1%00")]
    [InlineData("/api/sessions/{session}/messages?before_seq=%0A5")]
    [InlineData("/api/sessions/{session}/messages?limit=5%7F")]
    public async Task A_control_character_in_any_other_query_value_is_a_400(string pathAndQuery)
    {
        var targets = await TargetsAsync();

        var response = await _client.GetAsync(targets.Fill(pathAndQuery));

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    private async Task<Targets> TargetsAsync()
    {
        var (sessionId, alice, bob) = await _client.CreateSessionAsync();
        var agent = await _client.CreateParticipantAsync("agent", kind: "agent");
        return new Targets(alice, bob, agent, sessionId);
    }

    /// <summary>Nothing new in any table, and the target session is as it was made: active with an empty log.</summary>
    private async Task ExpectNothingWrittenAsync(RowCounts before, Targets targets)
    {
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
        var session = await (await _client.GetAsync($"/api/sessions/{targets.SessionId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", session.GetProperty("status").GetString());
        Assert.Equal(0, session.GetProperty("last_seq").GetInt64());
    }

    /// <summary><paramref name="body"/> as UTF-8, with <paramref name="bad"/> spliced in raw where it says ‹bad›.</summary>
    private static ByteArrayContent RawJson(string body, byte[] bad)
    {
        var parts = body.Split("‹bad›");
        Assert.Equal(2, parts.Length);
        var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(parts[0]), .. bad, .. Encoding.UTF8.GetBytes(parts[1])]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private sealed record Targets(string Alice, string Bob, string Agent, string SessionId)
    {
        public string Fill(string template) => template
            .Replace("{alice}", Alice, StringComparison.Ordinal)
            .Replace("{bob}", Bob, StringComparison.Ordinal)
            .Replace("{agent}", Agent, StringComparison.Ordinal)
            .Replace("{session}", SessionId, StringComparison.Ordinal);
    }
}
