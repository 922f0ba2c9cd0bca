using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Calls;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// The gateway's open realtime connections. One timer for all of them sends a heartbeat into every silence of
/// <see cref="RealtimeOptions.HeartbeatInterval"/>, instead of a timer per connection re-armed on every frame
/// (which, with ten thousand connections, the timer queue felt).
/// </summary>
public sealed class RealtimeConnections(GrainCalls calls, IOptions<RealtimeOptions> options, IOptions<LimitsOptions> limits) : BackgroundService
{
    private readonly ConcurrentDictionary<RealtimeConnection, byte> _open = new();

    /// <summary>How many WebSocket and SSE connections are open.</summary>
    public int Count => _open.Count;

    internal RealtimeConnection Open()
    {
        var connection = new RealtimeConnection(calls, options.Value, limits.Value.MaxPageSize, closed => _open.TryRemove(closed, out _));
        _open.TryAdd(connection, 0);
        return connection;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.HeartbeatInterval;
        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, interval.Ticks / 4)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                // Enumerating the dictionary itself takes no lock and copies nothing (Keys would do both).
                foreach (var (connection, _) in _open)
                {
                    if (connection.Silence >= interval)
                    {
                        connection.Enqueue(HeartbeatDue.Instance);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
