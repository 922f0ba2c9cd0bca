using System.Diagnostics;
using Sessions.Testing.Realtime;

namespace Sessions.Gateway.Tests.Realtime;

/// <summary>A gateway whose connections may fall only a few frames behind.</summary>
public sealed class ShortQueueGatewayFixture : GatewayFixture
{
    public const int QueueLength = 16;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sessions:Realtime:OutgoingQueueLength"] = $"{QueueLength}",
    };
}

public sealed class SlowConsumerTests(ShortQueueGatewayFixture fixture) : IClassFixture<ShortQueueGatewayFixture>
{
    [Fact]
    public async Task A_consumer_that_never_reads_is_disconnected_and_the_others_get_every_message()
    {
        var client = fixture.Client;
        var (session, alice, _) = await client.CreateSessionAsync();
        await using var reader = await WebSocketTestClient.ConnectAsync(client.BaseAddress!);
        await reader.SubscribeAsync(session, afterSeq: 0);
        await reader.NextOfTypeAsync("subscribed");

        // Subscribed, then never read again; its socket buffers fill (large messages, a small receive buffer), then its queue.
        await using var stalled = await WebSocketTestClient.ConnectAsync(client.BaseAddress!, read: false, receiveBufferSize: 1024);
        await stalled.SubscribeAsync(session, afterSeq: 0);

        var text = new string('x', 30_000);
        var appended = 0;
        var stopwatch = Stopwatch.StartNew();
        while (appended < 400)
        {
            (await client.AppendAsync(session, alice, text)).EnsureSuccessStatusCode();
            appended++;
            Assert.Equal([(long)appended], await reader.MessagesAsync(session, 1));
            if (appended % 20 == 0 && await IsClosedByServerAsync(stalled))
            {
                break;
            }
        }

        Assert.True(await IsClosedByServerAsync(stalled), $"The stalled consumer was still connected after {appended} messages of 30 KB.");
        // The reader kept up message by message all along, and goes on after the stalled one is gone.
        (await client.AppendAsync(session, alice, "after")).EnsureSuccessStatusCode();
        Assert.Equal([(long)appended + 1], await reader.MessagesAsync(session, 1));
    }

    /// <summary>A client that reads nothing learns of the close only by its sends failing once the server dropped the socket.</summary>
    private static async Task<bool> IsClosedByServerAsync(WebSocketTestClient stalled)
    {
        try
        {
            await stalled.SendAsync("""{"type":"ping"}""");
            return false;
        }
        catch (Exception exception) when (exception is System.Net.WebSockets.WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return true;
        }
    }
}
