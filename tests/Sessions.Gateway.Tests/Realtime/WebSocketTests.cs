using System.Net;
using System.Net.WebSockets;
using System.Text;
using Sessions.Testing.Realtime;

namespace Sessions.Gateway.Tests.Realtime;

public sealed class WebSocketTests(RealtimeGatewayFixture fixture) : IClassFixture<RealtimeGatewayFixture>
{
    private HttpClient Client => fixture.Client;

    private Uri Base => fixture.Client.BaseAddress!;

    private async Task AppendAsync(string sessionId, string sender, int count, int from = 1)
    {
        for (var i = from; i < from + count; i++)
        {
            (await Client.AppendAsync(sessionId, sender, $"m{i}")).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task A_subscriber_from_zero_gets_the_history_then_live_messages_each_once_in_order()
    {
        var (session, alice, bob) = await Client.CreateSessionAsync();
        await AppendAsync(session, alice, 10);
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);

        await ws.SubscribeAsync(session, afterSeq: 0, id: "s1");
        var subscribed = await ws.NextOfTypeAsync("subscribed");
        Assert.Equal($"session:{session}", subscribed.GetProperty("topic").GetString());
        Assert.True(subscribed.GetProperty("recovered").GetBoolean());
        Assert.Equal(10, subscribed.GetProperty("last_seq").GetInt64());
        Assert.Equal(RealtimeFrames.Range(1, 10), await ws.MessagesAsync(session, 10));

        await AppendAsync(session, bob, 5, from: 11);
        Assert.Equal(RealtimeFrames.Range(11, 15), await ws.MessagesAsync(session, 5));
    }

    [Fact]
    public async Task A_resume_is_exclusive_of_its_cursor_and_seamless_while_writers_append()
    {
        var (session, alice, _) = await Client.CreateSessionAsync();
        await AppendAsync(session, alice, 12);
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);

        // Appends race the subscription: whatever lands before, during or after the replay arrives once, in order.
        var writing = AppendAsync(session, alice, 15, from: 13);
        await ws.SubscribeAsync(session, afterSeq: 4);
        await ws.NextOfTypeAsync("subscribed");
        await writing;
        Assert.Equal(RealtimeFrames.Range(5, 27), await ws.MessagesAsync(session, 23));
    }

    [Fact]
    public async Task Without_a_cursor_only_live_messages_come()
    {
        var (session, alice, _) = await Client.CreateSessionAsync();
        await AppendAsync(session, alice, 3);
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);
        await ws.SubscribeAsync(session);
        var subscribed = await ws.NextOfTypeAsync("subscribed");
        Assert.Equal(JsonValueKindNull, subscribed.GetProperty("after_seq").ValueKind);
        Assert.Equal(3, subscribed.GetProperty("last_seq").GetInt64());
        await AppendAsync(session, alice, 1, from: 4);
        Assert.Equal([4L], await ws.MessagesAsync(session, 1));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task A_resume_that_cannot_be_served_completely_says_so_and_continues_from_the_end()
    {
        var (session, alice, _) = await Client.CreateSessionAsync();
        await AppendAsync(session, alice, RealtimeGatewayFixture.MaxReplayMessages + 5);
        var last = RealtimeGatewayFixture.MaxReplayMessages + 5L;
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);

        await ws.SubscribeAsync(session, afterSeq: 2);
        var behind = await ws.NextOfTypeAsync("subscribed");
        Assert.False(behind.GetProperty("recovered").GetBoolean());
        Assert.Equal("too-far-behind", behind.GetProperty("reason").GetString());
        Assert.Equal(last, behind.GetProperty("last_seq").GetInt64());

        var (other, bob, _) = await Client.CreateSessionAsync();
        await AppendAsync(other, bob, 2);
        await ws.SubscribeAsync(other, afterSeq: 9);
        var ahead = await ws.NextOfTypeAsync("subscribed");
        Assert.False(ahead.GetProperty("recovered").GetBoolean());
        Assert.Equal("cursor-ahead", ahead.GetProperty("reason").GetString());

        // Both go on live from the log's end: no partial history was sent.
        await AppendAsync(session, alice, 1, from: 100);
        Assert.Equal([last + 1], await ws.MessagesAsync(session, 1));
        await AppendAsync(other, bob, 1, from: 100);
        Assert.Equal([3L], await ws.MessagesAsync(other, 1));
    }

    [Fact]
    public async Task Send_appends_and_acknowledges_with_the_stored_seq_and_a_replay_returns_the_original()
    {
        var (session, alice, _) = await Client.CreateSessionAsync();
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);
        var send = $$"""{"type":"send","id":"r1","session_id":"{{session}}","sender_id":"{{alice}}","kind":"text","content":{"text":"hi"},"client_message_id":"c-1"}""";

        await ws.SendAsync(send);
        var ack = await ws.NextOfTypeAsync("ack");
        Assert.Equal("r1", ack.GetProperty("id").GetString());
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        Assert.True(ack.GetProperty("created").GetBoolean());
        Assert.Equal("c-1", ack.GetProperty("client_message_id").GetString());

        await ws.SendAsync(send);
        var replay = await ws.NextOfTypeAsync("ack");
        Assert.Equal(1, replay.GetProperty("seq").GetInt64());
        Assert.False(replay.GetProperty("created").GetBoolean());
        Assert.Equal(ack.GetProperty("message_id").GetString(), replay.GetProperty("message_id").GetString());

        var page = await (await Client.GetAsync($"/api/sessions/{session}/messages")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, page.GetProperty("messages").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"type":"send","id":"e","session_id":"nope-session","sender_id":"x","kind":"text","content":{"text":"hi"}}""", "session-not-found", 404)]
    [InlineData("""{"type":"send","id":"e","sender_id":"x","kind":"text","content":{"text":"hi"}}""", "validation", 400)]
    [InlineData("""{"type":"send","id":"e","session_id":"s","sender_id":"x","kind":"text","content":"not an object"}""", "validation", 400)]
    [InlineData("""{"type":"subscribe","id":"e","topic":"session:no-such-session"}""", "session-not-found", 404)]
    [InlineData("""{"type":"subscribe","id":"e","topic":"lobby"}""", "unknown-topic", 400)]
    [InlineData("""{"type":"subscribe","id":"e","topic":"session:x","after_seq":-1}""", "validation", 400)]
    [InlineData("""{"type":"subscribe","id":"e","topic":"session:x","after_seq":"3"}""", "validation", 400)]
    [InlineData("""{"type":"unsubscribe","id":"e","topic":"session:never"}""", "not-subscribed", 400)]
    [InlineData("""{"type":"dance","id":"e"}""", "unknown-type", 400)]
    [InlineData("""{"type":7}""", "invalid-frame", 400)]
    [InlineData("""[1,2]""", "invalid-frame", 400)]
    [InlineData("""{"type":"ping",""", "invalid-frame", 400)]
    [InlineData("", "invalid-frame", 400)]
    // Half a surrogate pair escaped in a property name or a string: the reader accepts it, reading it back throws.
    [InlineData("""{"\ud800":1,"type":"ping"}""", "invalid-frame", 400)]
    [InlineData("""{"type":"ping","id":"\udc00"}""", "invalid-frame", 400)]
    [InlineData("""{"type":"subscribe","topic":"session:a\ud83dz"}""", "invalid-frame", 400)]
    public async Task A_bad_frame_gets_an_error_frame_and_the_connection_stays_usable(string frame, string code, int status)
    {
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);
        await ws.SendAsync(frame);
        var error = await ws.NextOfTypeAsync("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(status, error.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("detail").GetString()));

        await ws.SendAsync("""{"type":"ping","id":"after"}""");
        Assert.Equal("after", (await ws.NextOfTypeAsync("pong")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Subscriptions_per_connection_are_limited_and_unsubscribing_frees_one_and_stops_delivery()
    {
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);
        var sessions = new List<(string Id, string Sender)>();
        for (var i = 0; i <= RealtimeGatewayFixture.MaxSubscriptionsPerConnection; i++)
        {
            var (id, alice, _) = await Client.CreateSessionAsync();
            sessions.Add((id, alice));
        }

        for (var i = 0; i < RealtimeGatewayFixture.MaxSubscriptionsPerConnection; i++)
        {
            await ws.SubscribeAsync(sessions[i].Id);
            await ws.NextOfTypeAsync("subscribed");
        }

        await ws.SubscribeAsync(sessions[0].Id);
        Assert.Equal("already-subscribed", (await ws.NextOfTypeAsync("error")).GetProperty("code").GetString());
        await ws.SubscribeAsync(sessions[^1].Id);
        Assert.Equal("too-many-subscriptions", (await ws.NextOfTypeAsync("error")).GetProperty("code").GetString());

        await ws.SendAsync($$"""{"type":"unsubscribe","topic":"session:{{sessions[0].Id}}"}""");
        Assert.Equal($"session:{sessions[0].Id}", (await ws.NextOfTypeAsync("unsubscribed")).GetProperty("topic").GetString());
        await AppendAsync(sessions[0].Id, sessions[0].Sender, 1);
        await ws.SubscribeAsync(sessions[^1].Id);
        await ws.NextOfTypeAsync("subscribed");

        // The message of the session left behind never comes; the next one seen is of a subscribed session.
        await AppendAsync(sessions[1].Id, sessions[1].Sender, 1);
        var next = await ws.NextOfTypeAsync("message");
        Assert.Equal($"session:{sessions[1].Id}", next.GetProperty("topic").GetString());
    }

    [Fact]
    public async Task Status_changes_reach_subscribers_after_the_messages_before_them()
    {
        var (session, alice, _) = await Client.CreateSessionAsync();
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);
        await ws.SubscribeAsync(session, afterSeq: 0);
        await ws.NextOfTypeAsync("subscribed");
        await AppendAsync(session, alice, 2);
        (await Client.PostJsonAsync($"/api/sessions/{session}/status", """{"status":"suspended"}""")).EnsureSuccessStatusCode();

        Assert.Equal([1L, 2L], await ws.MessagesAsync(session, 2));
        var status = await ws.NextOfTypeAsync("status");
        Assert.Equal("suspended", status.GetProperty("session").GetProperty("status").GetString());
        Assert.Equal(2, status.GetProperty("session").GetProperty("last_seq").GetInt64());
    }

    [Fact]
    public async Task An_idle_connection_gets_heartbeats()
    {
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);
        var frame = await ws.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("heartbeat", frame.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_frame_over_the_limit_closes_the_connection_with_message_too_big()
    {
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);
        var padding = new string('x', RealtimeGatewayFixture.MaxFrameBytes);
        await ws.SendAsync($$"""{"type":"ping","id":"{{padding}}"}""");
        await ws.WaitClosedAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, ws.CloseStatus);
    }

    [Fact]
    public async Task A_message_sent_in_fragments_is_read_whole()
    {
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);
        var id = new string('f', RealtimeGatewayFixture.MaxFrameBytes - 100);
        await ws.SendFragmentedAsync($$"""{"type":"ping","id":"{{id}}"}""", pieces: 5);
        Assert.Equal(id, (await ws.NextOfTypeAsync("pong")).GetProperty("id").GetString());

        // The connection goes on reading after a message that needed several reads.
        await ws.SendAsync("""{"type":"ping","id":"next"}""");
        Assert.Equal("next", (await ws.NextOfTypeAsync("pong")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_binary_frame_closes_the_connection_as_an_invalid_message_type()
    {
        await using var ws = await WebSocketTestClient.ConnectAsync(Base);
        await ws.SendRawAsync(Encoding.UTF8.GetBytes("""{"type":"ping"}"""), WebSocketMessageType.Binary);
        await ws.WaitClosedAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, ws.CloseStatus);
    }

    [Fact]
    public async Task Metrics_count_open_connections_and_one_feed_per_session_whatever_the_connections()
    {
        var (session, _, _) = await Client.CreateSessionAsync();
        await using var first = await WebSocketTestClient.ConnectAsync(Base);
        await using var second = await WebSocketTestClient.ConnectAsync(Base);
        foreach (var ws in new[] { first, second })
        {
            await ws.SubscribeAsync(session);
            await ws.NextOfTypeAsync("subscribed");
        }

        var metrics = await Client.GetStringAsync("/metrics");
        Assert.True(Gauge(metrics, "sessions_realtime_connections") >= 2, metrics);
        Assert.True(Gauge(metrics, "sessions_realtime_subscriptions") >= 2, metrics);
        var feeds = Gauge(metrics, "sessions_realtime_session_feeds");
        await first.DisposeAsync();
        await second.DisposeAsync();

        // Both connections share one feed; with both gone it goes too.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Gauge(await Client.GetStringAsync("/metrics"), "sessions_realtime_session_feeds") >= feeds)
        {
            Assert.True(DateTime.UtcNow < deadline, "The session's feed outlived its last subscriber.");
            await Task.Delay(50);
        }
    }

    private static long Gauge(string metrics, string name) =>
        long.Parse(metrics.Split('\n').Single(line => line.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_plain_get_of_the_websocket_endpoint_is_a_problem()
    {
        var response = await Client.GetAsync("/ws");
        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "websocket-required");
    }
}
