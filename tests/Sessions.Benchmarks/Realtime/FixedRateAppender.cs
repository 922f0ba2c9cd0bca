using System.Diagnostics;
using System.Net;
using System.Text;

namespace Sessions.Benchmarks.Realtime;

/// <summary>
/// What an appender's run sent: how many appends were acknowledged, their ack latencies (sorted, ms), and for each
/// append its send time and how long its ack took (<see cref="Stopwatch"/> ticks; 0 when it failed).
/// </summary>
internal sealed record AppendRun(int Sent, int Acknowledged, int Failed, double[] AckMs, int MaxInFlight, long[] SentTicks, long[] AckTicks);

/// <summary>
/// Appends at a fixed rate, open loop: the i-th append leaves at start + i / rate whether or not earlier ones were
/// answered, so a slow server shows as latency rather than as a lower rate. Appends go round-robin over the topics'
/// <c>POST {routePrefix}{id}/messages</c> (by default <c>/api/sessions/</c>: the gateway's route, and the same one on
/// the baseline server; <c>/api/durable/</c> is the baseline's durable route). Each
/// content carries <c>t</c>, the send time in <see cref="Stopwatch"/> ticks, and <c>r</c>, the round.
/// </summary>
internal sealed class FixedRateAppender(HttpClient http, string[] sessionIds, int rate, string routePrefix = "/api/sessions/") : IDisposable
{
    private const string Sender = "bench-alice";
    private const string Text = "Hello there, this is a benchmark message of ordinary size.";
    private int _inFlight;
    private int _maxInFlight;

    public async Task<AppendRun> RunAsync(int round, TimeSpan duration, int paddingBytes)
    {
        var text = paddingBytes > 0 ? new string('x', paddingBytes) : Text;
        var total = (int)(rate * duration.TotalSeconds);
        var acks = new long[total];
        var sentTicks = new long[total];
        var calls = new Task<bool>[total];
        _maxInFlight = 0;
        var start = Stopwatch.GetTimestamp();
        var issued = 0;
        while (issued < total)
        {
            var due = Math.Min(total, (int)((Stopwatch.GetTimestamp() - start) * rate / Stopwatch.Frequency) + 1);
            for (; issued < due; issued++)
            {
                calls[issued] = AppendAsync(sessionIds[issued % sessionIds.Length], round, text, sentTicks, acks, issued);
            }

            if (issued < total)
            {
                await Task.Delay(1).ConfigureAwait(false);
            }
        }

        var outcomes = await Task.WhenAll(calls).ConfigureAwait(false);
        var acknowledged = outcomes.Count(ok => ok);
        var ackMs = acks.Where(a => a > 0).Select(a => a * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        return new AppendRun(total, acknowledged, total - acknowledged, ackMs, _maxInFlight, sentTicks, acks);
    }

    private async Task<bool> AppendAsync(string sessionId, int round, string text, long[] sentTicks, long[] acks, int index)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            var sent = sentTicks[index] = Stopwatch.GetTimestamp();
            var body = $$$"""{"sender_id":"{{{Sender}}}","kind":"text","content":{"t":{{{sent}}},"r":{{{round}}},"text":"{{{text}}}"}}""";
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync($"{routePrefix}{sessionId}/messages", content).ConfigureAwait(false);
            _ = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Report($"append answered {(int)response.StatusCode}");
                return false;
            }

            acks[index] = Stopwatch.GetTimestamp() - sent;
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            Report(exception.Message);
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static int s_reported;

    private static void Report(string problem)
    {
        if (Interlocked.Increment(ref s_reported) <= 5)
        {
            Console.Error.WriteLine($"  append failed: {problem}");
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public void Dispose() => http.Dispose();
}
