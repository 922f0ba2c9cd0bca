using System.Net.WebSockets;
using System.Text.Json;
using Sessions.Gateway.Tests.Realtime;
using Sessions.Testing;
using Sessions.Testing.Realtime;

namespace Sessions.Gateway.Tests.Authentication;

/// <summary>
/// An open WebSocket or SSE connection ends, with a reason the client can read, when its token is revoked (here: at
/// once; on another gateway: within the check interval) or expires (at its expiry).
/// </summary>
public sealed class ConnectionTokensTests(AuthGatewayFixture fixture) : IClassFixture<AuthGatewayFixture>
{
    private static readonly TimeSpan CheckBound = AuthGatewayFixture.ConnectionCheckInterval + AuthGatewayFixture.Slack;
    private readonly HttpClient _admin = fixture.Client;

    [Fact]
    public async Task A_websocket_whose_token_is_revoked_by_another_gateway_is_closed_within_the_check_interval()
    {
        var (session, alice, _) = await _admin.CreateSessionAsync();
        var (tokenId, token) = await _admin.IssueTokenAsync(alice);
        await using var ws = await WebSocketTestClient.ConnectAsync(_admin.BaseAddress!, token: token);
        await ws.SubscribeAsync(session);
        await ws.NextOfTypeAsync("subscribed");

        await RevokeElsewhereAsync(tokenId);
        var revoked = DateTime.UtcNow;
        await ws.WaitClosedAsync(CheckBound);

        Assert.True(DateTime.UtcNow - revoked < CheckBound);
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "token-revoked"), (ws.CloseStatus, ws.CloseReason));
    }

    [Fact]
    public async Task A_websocket_whose_token_is_revoked_on_its_gateway_is_closed_at_once_and_others_stay_open()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var (tokenId, token) = await _admin.IssueTokenAsync(alice);
        var (_, other) = await _admin.IssueTokenAsync(alice);
        await using var revokedOne = await WebSocketTestClient.ConnectAsync(_admin.BaseAddress!, token: token, tokenInQuery: true);
        await using var sameToken = await WebSocketTestClient.ConnectAsync(_admin.BaseAddress!, token: token);
        await using var otherToken = await WebSocketTestClient.ConnectAsync(_admin.BaseAddress!, token: other);
        await using var adminKey = await WebSocketTestClient.ConnectAsync(_admin.BaseAddress!);

        await _admin.RevokeTokenAsync(alice, tokenId);

        // Well inside the check interval and the cache time: this gateway did not wait for either.
        await revokedOne.WaitClosedAsync(AuthGatewayFixture.Slack);
        await sameToken.WaitClosedAsync(AuthGatewayFixture.Slack);
        Assert.Equal("token-revoked", revokedOne.CloseReason);
        Assert.Equal("token-revoked", sameToken.CloseReason);
        await otherToken.SendAsync("""{"type":"ping","id":"still-here"}""");
        await adminKey.SendAsync("""{"type":"ping","id":"admin-too"}""");
        Assert.Equal("still-here", (await otherToken.NextOfTypeAsync("pong")).GetProperty("id").GetString());
        Assert.Equal("admin-too", (await adminKey.NextOfTypeAsync("pong")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_websocket_is_closed_when_its_token_expires()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        var (_, token) = await _admin.IssueTokenAsync(alice, expiresAt);
        await using var ws = await WebSocketTestClient.ConnectAsync(_admin.BaseAddress!, token: token);
        await ws.SendAsync("""{"type":"ping"}""");
        await ws.NextOfTypeAsync("pong");

        await ws.WaitClosedAsync(TimeSpan.FromSeconds(2) + AuthGatewayFixture.Slack);

        Assert.True(DateTimeOffset.UtcNow >= expiresAt.AddMilliseconds(-50), "closed before the token expired");
        Assert.Equal((WebSocketCloseStatus.PolicyViolation, "token-expired"), (ws.CloseStatus, ws.CloseReason));
    }

    [Fact]
    public async Task An_event_stream_whose_token_is_revoked_by_another_gateway_ends_with_a_close_event_saying_why()
    {
        var (session, alice, _) = await _admin.CreateSessionAsync();
        var (tokenId, token) = await _admin.IssueTokenAsync(alice);
        using var client = _admin.As(token);
        await using var events = await ServerSentEventsTestClient.OpenAsync(client, $"/api/sessions/{session}/events");
        Assert.Equal("subscribed", (await events.NextAsync()).Event);

        await RevokeElsewhereAsync(tokenId);
        var close = await events.NextAsync(CheckBound);

        Assert.Equal("close", close.Event);
        Assert.Equal("token-revoked", JsonDocument.Parse(close.Data).RootElement.GetProperty("reason").GetString());
        await Eventually.TrueAsync(() => events.Ended, "the stream has ended", AuthGatewayFixture.Slack);
    }

    [Fact]
    public async Task An_inbox_stream_opened_with_a_query_token_ends_when_the_token_expires()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var (_, token) = await _admin.IssueTokenAsync(alice, DateTimeOffset.UtcNow.AddSeconds(2));
        using var anonymous = _admin.As(null);
        await using var events = await ServerSentEventsTestClient.OpenAsync(anonymous, $"/api/participants/{alice}/inbox/events?access_token={token}");
        Assert.Equal("subscribed", (await events.NextAsync()).Event);
        Assert.Equal("inbox_snapshot", (await events.NextAsync()).Event);

        var close = await events.NextAsync(TimeSpan.FromSeconds(2) + AuthGatewayFixture.Slack);

        Assert.Equal("close", close.Event);
        Assert.Equal("token-expired", JsonDocument.Parse(close.Data).RootElement.GetProperty("reason").GetString());
        await Eventually.TrueAsync(() => events.Ended, "the stream has ended", AuthGatewayFixture.Slack);
    }

    // What a revocation on another gateway does: the same row change, without this gateway hearing of it.
    private Task RevokeElsewhereAsync(string tokenId) =>
        fixture.Database.ExecuteAsync($"update participant_tokens set revoked_at = now() where id = '{tokenId}'");
}
