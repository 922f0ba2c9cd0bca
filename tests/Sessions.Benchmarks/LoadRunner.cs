using System.Diagnostics;

namespace Sessions.Benchmarks;

/// <summary>
/// Runs <c>clients</c> concurrent loops of one operation for a fixed time and measures each operation.
/// A loop is given its index and a running counter so it can spread work over sessions deterministically.
/// </summary>
internal static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(int clients, TimeSpan duration, Func<int, long, Task> operation)
    {
        var latencies = new List<long>[clients];
        long errors = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var mine = latencies[client] = new List<long>(64 * 1024);
            for (long n = 0; Stopwatch.GetTimestamp() < stopAt; n++)
            {
                var before = Stopwatch.GetTimestamp();
                try
                {
                    await operation(client, n);
                    mine.Add(Stopwatch.GetTimestamp() - before);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or Npgsql.NpgsqlException)
                {
                    if (Interlocked.Increment(ref errors) <= 3)
                    {
                        Console.Error.WriteLine($"  error: {e.Message}");
                    }
                }
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors);
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)] * 1000.0 / Stopwatch.Frequency;
}
