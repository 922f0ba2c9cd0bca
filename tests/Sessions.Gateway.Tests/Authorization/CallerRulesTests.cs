using System.Net;
using Sessions.Testing;
using Sessions.Testing.Realtime;

namespace Sessions.Gateway.Tests.Authorization;

/// <summary>
/// What the matrix does not vary: a participant token naming someone else in a body (403 <c>not-caller</c>, nothing
/// written), and the WebSocket's frames, which follow the HTTP rules.
/// </summary>
public sealed class CallerRulesTests(AuthorizationMatrixFixture fixture) : IClassFixture<AuthorizationMatrixFixture>
{
    [Fact]
    public async Task A_member_cannot_send_as_its_peer_and_nothing_is_written()
    {
        var before = await fixture.Database.MessageCountAsync(fixture.SessionId);
        using var response = await fixture.SendAsync(Identity.SessionMember, HttpMethod.Post, $"/api/sessions/{fixture.SessionId}/messages", RequestBodies.Message(fixture.Peer, "as bob"));
        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "not-caller");
        Assert.Equal(before, await fixture.Database.MessageCountAsync(fixture.SessionId));
    }

    [Fact]
    public async Task A_participant_creates_sessions_only_as_their_initiator()
    {
        var before = await fixture.Database.CountRowsAsync();
        using var response = await fixture.SendAsync(Identity.SessionMember, HttpMethod.Post, "/api/sessions", $$"""{"initiator_id":"{{fixture.Peer}}","peer_id":"{{fixture.Outsider}}"}""");
        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "not-caller");
        Assert.Equal(before, await fixture.Database.CountRowsAsync());
    }

    [Fact]
    public async Task An_agent_cannot_move_a_members_read_cursor()
    {
        using var response = await fixture.SendAsync(Identity.AttachedAgent, HttpMethod.Post, $"/api/sessions/{fixture.SessionId}/read", $$"""{"participant_id":"{{fixture.Member}}","last_seq":0}""");
        await response.ExpectProblemAsync(HttpStatusCode.Forbidden, "not-caller");
    }

    [Fact]
    public async Task On_the_websocket_an_outsider_sees_no_session_and_a_member_acts_only_as_itself()
    {
        var address = fixture.Client.BaseAddress!;
        await using (var outsider = await WebSocketTestClient.ConnectAsync(address, token: fixture.TokenOf(Identity.OtherParticipant)))
        {
            await outsider.SendAsync(new Dictionary<string, object> { ["type"] = "subscribe", ["id"] = "s1", ["topic"] = $"session:{fixture.SessionId}" });
            await ExpectErrorAsync(outsider, "s1", "session-not-found", 404);
            await outsider.SendAsync(new Dictionary<string, object> { ["type"] = "subscribe", ["id"] = "s2", ["topic"] = $"inbox:{fixture.Member}" });
            await ExpectErrorAsync(outsider, "s2", "not-caller", 403);
            await outsider.SendAsync(new Dictionary<string, object> { ["type"] = "send", ["id"] = "s3", ["session_id"] = fixture.SessionId, ["sender_id"] = fixture.Outsider, ["kind"] = "text", ["content"] = new { text = "hi" } });
            await ExpectErrorAsync(outsider, "s3", "session-not-found", 404);
        }

        var before = await fixture.Database.MessageCountAsync(fixture.SessionId);
        await using var member = await WebSocketTestClient.ConnectAsync(address, token: fixture.TokenOf(Identity.SessionMember));
        await member.SendAsync(new Dictionary<string, object> { ["type"] = "send", ["id"] = "m1", ["session_id"] = fixture.SessionId, ["sender_id"] = fixture.Peer, ["kind"] = "text", ["content"] = new { text = "as bob" } });
        await ExpectErrorAsync(member, "m1", "not-caller", 403);
        await member.SendAsync(new Dictionary<string, object> { ["type"] = "typing", ["id"] = "m2", ["session_id"] = fixture.SessionId, ["participant_id"] = fixture.Peer, ["typing"] = true });
        await ExpectErrorAsync(member, "m2", "not-caller", 403);
        Assert.Equal(before, await fixture.Database.MessageCountAsync(fixture.SessionId));
    }

    private static async Task ExpectErrorAsync(WebSocketTestClient client, string id, string code, int status)
    {
        var error = await client.NextOfTypeAsync("error");
        Assert.Equal(id, error.GetProperty("id").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(status, error.GetProperty("status").GetInt32());
    }
}
