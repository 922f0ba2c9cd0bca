using System.Net;
using System.Net.Http.Headers;
using Sessions.Testing;
using Sessions.Testing.Realtime;
using Xunit;

namespace Sessions.Gateway.Tests.RateLimits;

/// <summary>A gateway with small per-caller limits, so a burst crosses them within a test.</summary>
public sealed class SmallRateLimitsFixture : GatewayFixture
{
    public const int AppendBurst = 5;
    public const int ConnectBurst = 3;
    public const int MaxConnections = 2;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sessions:RateLimits:AppendsPerSecond"] = "1",
        ["Sessions:RateLimits:AppendBurst"] = $"{AppendBurst}",
        ["Sessions:RateLimits:ConnectsPerMinute"] = "60",
        ["Sessions:RateLimits:ConnectBurst"] = $"{ConnectBurst}",
        ["Sessions:RateLimits:MaxConnectionsPerCaller"] = $"{MaxConnections}",
    };
}

/// <summary>
/// Per-caller limits on appends (HTTP and WebSocket <c>send</c> share one bucket), on connects and on open
/// connections: a burst from one caller is refused with 429 and Retry-After, and another caller is not affected.
/// </summary>
public sealed class RateLimitTests(SmallRateLimitsFixture fixture) : IClassFixture<SmallRateLimitsFixture>
{
    [Fact]
    public async Task A_burst_of_appends_from_one_caller_is_refused_past_its_bucket_while_another_caller_appends()
    {
        var (session, alice, bob) = await fixture.Client.CreateSessionAsync();
        using var noisy = await CallerAsync(alice);
        using var quiet = await CallerAsync(bob);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < SmallRateLimitsFixture.AppendBurst + 5; i++)
        {
            using var response = await noisy.AppendAsync(session, alice, $"burst {i}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = response.Headers.RetryAfter?.Delta;
                Assert.NotNull(retryAfter);
                Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
                var problem = await response.ExpectProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
                Assert.True(problem.GetProperty("retry_after").GetInt32() >= 1);
            }
        }

        // The bucket holds AppendBurst; at one a second, at most a couple more can have come back meanwhile.
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.Created), SmallRateLimitsFixture.AppendBurst, SmallRateLimitsFixture.AppendBurst + 2);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        // The other caller's bucket is its own.
        for (var i = 0; i < SmallRateLimitsFixture.AppendBurst; i++)
        {
            await (await quiet.AppendAsync(session, bob, $"quiet {i}")).ExpectJsonAsync(HttpStatusCode.Created);
        }

        // A refused append stored nothing: the log holds exactly the accepted ones.
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.Created) + SmallRateLimitsFixture.AppendBurst, await fixture.Database.MessageCountAsync(session));
    }

    [Fact]
    public async Task A_websocket_send_draws_on_the_same_bucket_as_http_appends()
    {
        var (session, alice, _) = await fixture.Client.CreateSessionAsync();
        var token = await NewTokenAsync(alice);
        using var http = Caller(token);
        HttpStatusCode last;
        do
        {
            using var response = await http.AppendAsync(session, alice, "drain");
            last = response.StatusCode;
        }
        while (last == HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.TooManyRequests, last);

        await using var socket = await WebSocketTestClient.ConnectAsync(fixture.Client.BaseAddress!, token: token);
        await socket.SendAsync(new { type = "send", id = "s1", session_id = session, sender_id = alice, kind = "text", content = new { text = "over" } });

        var error = await socket.NextOfTypeAsync("error");
        Assert.Equal("s1", error.GetProperty("id").GetString());
        Assert.Equal("rate-limited", error.GetProperty("code").GetString());
        Assert.Equal(429, error.GetProperty("status").GetInt32());
        Assert.True(error.GetProperty("retry_after").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_caller_holds_at_most_its_connections_and_gets_one_back_when_it_closes_one()
    {
        var (session, alice, bob) = await fixture.Client.CreateSessionAsync();
        using var holder = await CallerAsync(alice);
        using var other = await CallerAsync(bob);
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < SmallRateLimitsFixture.MaxConnections; i++)
            {
                open.Add(await OpenEventsAsync(holder, session, HttpStatusCode.OK));
            }

            using (var refused = await OpenEventsAsync(holder, session, HttpStatusCode.TooManyRequests))
            {
                await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests, "too-many-connections");
            }

            // Another caller connects as usual.
            open.Add(await OpenEventsAsync(other, session, HttpStatusCode.OK));

            // Closing one gives the holder its permit back (once the gateway has seen the stream end).
            open[0].Dispose();
            open.RemoveAt(0);
            var again = await Eventually.ReturnsAsync(
                async () =>
                {
                    var response = await OpenEventsAsync(holder, session, expected: null);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return response;
                    }

                    response.Dispose();
                    return null;
                },
                "a connection again after closing one",
                TimeSpan.FromSeconds(20));
            open.Add(again);
        }
        finally
        {
            open.ForEach(response => response.Dispose());
        }
    }

    [Fact]
    public async Task A_token_is_one_caller_whether_it_comes_in_the_header_or_the_query()
    {
        var (session, alice, _) = await fixture.Client.CreateSessionAsync();
        var token = await NewTokenAsync(alice);
        using var byHeader = Caller(token);
        using var anonymous = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = fixture.Client.BaseAddress!, Timeout = TimeSpan.FromSeconds(30) };
        var open = new List<HttpResponseMessage>();
        try
        {
            open.Add(await OpenEventsAsync(byHeader, session, HttpStatusCode.OK));
            open.Add(await OpenEventsAsync(anonymous, $"{session}/events?access_token={token}", HttpStatusCode.OK, path: true));

            using var refused = await OpenEventsAsync(anonymous, $"{session}/events?access_token={token}", HttpStatusCode.TooManyRequests, path: true);
            await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests, "too-many-connections");
        }
        finally
        {
            open.ForEach(response => response.Dispose());
        }
    }

    [Fact]
    public async Task Connecting_faster_than_the_connect_bucket_allows_is_refused_with_retry_after()
    {
        // Attempts count whatever becomes of them: these end at once (404: no such session), so they hold no
        // connection and only the connect bucket can refuse them.
        using var hasty = await CallerAsync(await fixture.Client.CreateParticipantAsync("caller"));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        while (refused is null && statuses.Count < SmallRateLimitsFixture.ConnectBurst + 5)
        {
            var response = await OpenEventsAsync(hasty, "s_missing", expected: null);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        Assert.All(statuses[..^1], status => Assert.Equal(HttpStatusCode.NotFound, status));
        Assert.InRange(statuses.Count - 1, SmallRateLimitsFixture.ConnectBurst, SmallRateLimitsFixture.ConnectBurst + 2);
        using (refused)
        {
            Assert.NotNull(refused.Headers.RetryAfter?.Delta);
            await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        }
    }

    /// <summary>A new participant token of <paramref name="participantId"/> (who must be in the sessions it uses), issued with the admin key.</summary>
    private async Task<string> NewTokenAsync(string participantId) => (await fixture.Client.IssueTokenAsync(participantId)).Token;

    /// <summary>A client whose requests carry a participant token of its own, so it is a caller of its own.</summary>
    private async Task<HttpClient> CallerAsync(string participantId) => Caller(await NewTokenAsync(participantId));

    private HttpClient Caller(string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = fixture.Client.BaseAddress!, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Opens the session's event stream (headers only; the body stays open until disposed); with <paramref name="path"/>,
    /// <paramref name="session"/> is the rest of the path after <c>/api/sessions/</c>, query included.
    /// </summary>
    private static async Task<HttpResponseMessage> OpenEventsAsync(HttpClient client, string session, HttpStatusCode? expected, bool path = false)
    {
        var response = await client.GetAsync(path ? $"/api/sessions/{session}" : $"/api/sessions/{session}/events", HttpCompletionOption.ResponseHeadersRead);
        if (expected is { } status && response.StatusCode != status)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            Assert.Fail($"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        }

        return response;
    }
}
