using System.Diagnostics;
using System.Net;

namespace Sessions.Benchmarks.Realtime;

/// <summary>
/// Connections that subscribe and then never read: a 4 KiB receive buffer (so the window closes after a few frames),
/// <c>topics</c> subscriptions each, live from the log's end. A probe sends a <c>ping</c> on each every 200 ms; a
/// stalled client learns that the server dropped it only when such a send fails (the server's reset answers the
/// first send after it closed), so a drop is seen within about two probes of happening.
/// </summary>
internal sealed class StalledConsumers : IAsyncDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(200);
    private readonly Subscriber[] _connections;
    private readonly long[] _droppedAt;
    private readonly CancellationTokenSource _stopProbing = new();
    private Task _probing = Task.CompletedTask;

    private StalledConsumers(Subscriber[] connections)
    {
        _connections = connections;
        _droppedAt = new long[connections.Length];
    }

    public int Connections => _connections.Length;

    /// <summary>Connection k subscribes to topics k·topics … k·topics + topics − 1 (mod the topic count).</summary>
    public static async Task<StalledConsumers> ConnectAsync(IPEndPoint server, string[] topics, int connections, int topicsEach)
    {
        var subscribers = new Subscriber[connections];
        await Parallel.ForAsync(0, connections, async (k, cancellationToken) =>
        {
            subscribers[k] = await Subscriber.ConnectAsync(server, receipts: null, receiveBufferBytes: 4096, cancellationToken);
            for (var j = 0; j < topicsEach; j++)
            {
                await subscribers[k].SubscribeAsync(topics[(k * topicsEach + j) % topics.Length], afterSeq: null, cancellationToken);
            }
        });
        return new StalledConsumers(subscribers);
    }

    public void StartProbing() => _probing = Task.WhenAll(_connections.Select((connection, k) => ProbeAsync(connection, k, _stopProbing.Token)));

    /// <summary>Stops probing; returns how many were seen dropped, and after how long (seconds since <paramref name="since"/>, sorted).</summary>
    public async Task<(int Dropped, double[] AfterSeconds, long LastDropTicks)> StopProbingAsync(long since)
    {
        await _stopProbing.CancelAsync();
        await _probing;
        var dropped = _droppedAt.Where(t => t > 0).ToArray();
        return (dropped.Length, [.. dropped.Select(t => Stopwatch.GetElapsedTime(since, t).TotalSeconds).Order()], dropped.DefaultIfEmpty(0).Max());
    }

    private async Task ProbeAsync(Subscriber connection, int index, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ProbeInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    // No timeout: cancelling a WebSocket send aborts the socket. The server reads this direction all along.
                    await connection.PingAsync(CancellationToken.None);
                }
                catch (Exception exception) when (exception is System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
                {
                    _droppedAt[index] = Stopwatch.GetTimestamp();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopProbing.CancelAsync();
        await _probing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        _stopProbing.Dispose();
    }
}
