using System.Collections.Concurrent;
using System.Diagnostics;
using Sessions.Testing;

namespace Sessions.Cluster.Tests;

/// <summary>An append that was not acknowledged, when (seconds since the load started) and through what.</summary>
public sealed record AppendFailure(double At, string Via, string SessionId, string ClientMessageId, string Reason);

/// <summary>
/// Appends in a few concurrent loops, as clients would, until stopped: each loop walks the sessions in turn and
/// sends every message with a client_message_id of its own, through its targets in turn. Every acknowledgement is
/// recorded (to be compared with the database afterwards), and so is every failure.
/// </summary>
public sealed class AppendLoad
{
    private readonly IReadOnlyList<TestSession> _sessions;
    private readonly ConcurrentQueue<Ack> _acks = new();
    private readonly ConcurrentQueue<AppendFailure> _failures = new();
    private readonly List<Task> _loops = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private volatile bool _stopping;

    public AppendLoad(IReadOnlyList<TestSession> sessions)
    {
        _sessions = sessions;
    }

    public IReadOnlyList<Ack> Acks => _acks.ToArray();

    public IReadOnlyList<AppendFailure> Failures => _failures.ToArray();

    public int AckCount => _acks.Count;

    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>
    /// Starts a loop over <paramref name="targets"/>. With <paramref name="retryElsewhere"/>, a failed append is sent
    /// again, with the same client_message_id, through the next target (up to 20 times): an idempotent retry.
    /// </summary>
    public void StartLoop(string name, IReadOnlyList<IAppendTarget> targets, bool retryElsewhere = false)
    {
        var offset = _loops.Count * 7;
        _loops.Add(Task.Run(async () =>
        {
            var next = 0;
            for (var n = 0; !_stopping; n++)
            {
                var session = _sessions[(offset + n) % _sessions.Count];
                var clientMessageId = $"{name}-{n}";
                for (var attempt = 1; ; attempt++)
                {
                    var target = targets[next++ % targets.Count];
                    try
                    {
                        _acks.Enqueue(await target.AppendAsync(session, clientMessageId));
                        break;
                    }
                    catch (Exception e)
                    {
                        _failures.Enqueue(new AppendFailure(Now, target.Name, session.Id, clientMessageId, e.Message));
                        if (!retryElsewhere || attempt >= 20)
                        {
                            break;
                        }
                    }
                }
            }
        }));
    }

    /// <summary>Waits until <paramref name="count"/> more appends than now have been acknowledged.</summary>
    public async Task WaitForMoreAcksAsync(int count, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var target = AckCount + count;
        try
        {
            await Eventually.TrueAsync(() => AckCount >= target || _loops.Any(l => l.IsFaulted), $"{count} more appends are acknowledged", timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"{e.Message} Have {AckCount} of {target}; {_failures.Count} failures so far:\n{DescribeFailures()}\n{diagnostics?.Invoke()}", e);
        }

        await Task.WhenAll(_loops.Where(l => l.IsFaulted));
    }

    /// <summary>Stops the loops after the requests in flight have been answered.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await Task.WhenAll(_loops);
    }

    /// <summary>The failures, grouped by target and reason (reasons cut at their first line and 320 characters).</summary>
    public string DescribeFailures(IEnumerable<AppendFailure>? failures = null) =>
        string.Join("\n", (failures ?? Failures)
            .GroupBy(f => (f.Via, Reason: Shorten(f.Reason)))
            .Select(g => $"  {g.Count(),5} × {g.Key.Via}: {g.Key.Reason} (first at {g.Min(f => f.At):0.00} s, last at {g.Max(f => f.At):0.00} s)"));

    private static string Shorten(string reason)
    {
        var line = reason.Split('\n')[0];
        return line.Length > 320 ? line[..320] : line;
    }
}
