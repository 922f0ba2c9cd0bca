using System.Diagnostics;

namespace Sessions.Benchmarks.Realtime;

/// <summary>
/// One measured round against one server: the appends, the receipts they produced (append-to-receipt latency of
/// every subscriber that got each message) and the CPU each process spent meanwhile.
/// </summary>
internal sealed record FanOutRound(string Label, string ServerKey, AppendRun Appends, int ExpectedReceipts, double[] LatencyMs, double[] AfterAckMs, CpuUsage Cpu, double WallSeconds)
{
    private static int s_nextRound;

    public double P50 => Percentiles.Of(LatencyMs, 0.50);

    public double P99 => Percentiles.Of(LatencyMs, 0.99);

    public double P999 => Percentiles.Of(LatencyMs, 0.999);

    public double Max => LatencyMs.Length == 0 ? double.NaN : LatencyMs[^1];

    public int Missing => Math.Max(0, ExpectedReceipts - LatencyMs.Length);

    /// <summary>CPU of <paramref name="group"/> in cores (CPU seconds per wall second).</summary>
    public double Cores(string group) => Cpu.Seconds.GetValueOrDefault(group) / WallSeconds;

    /// <summary>CPU of the client side in cores: this process (the appender) and both subscriber processes.</summary>
    public double ClientCores => Cpu.Of(name => name == CpuMeter.SelfGroup || name.StartsWith(ClientPrefix, StringComparison.Ordinal)) / WallSeconds;

    /// <summary>How <see cref="CpuMeter"/> names the subscriber processes.</summary>
    public const string ClientPrefix = "subscribers/";

    /// <summary>
    /// Appends for <paramref name="duration"/> at the appender's rate, then waits until every acknowledged append
    /// reached all <paramref name="fanOut"/> subscribers of its topic (or nothing came for 3 s), and closes the round.
    /// </summary>
    public static async Task<(FanOutRound Round, ReceiptRound Receipts)> RunAsync(
        string label, string serverKey, FixedRateAppender appender, SubscriberHostProcess subscribers, int rate, int fanOut, TimeSpan duration, int paddingBytes, CpuMeter meter)
    {
        var id = Interlocked.Increment(ref s_nextRound);
        await subscribers.StartRoundAsync(id, (int)(rate * duration.TotalSeconds * fanOut) + 1024);
        var before = meter.Sample();
        var clock = Stopwatch.StartNew();
        var appends = await appender.RunAsync(id, duration, paddingBytes);
        var expected = appends.Acknowledged * fanOut;
        var seen = await subscribers.CountAsync();
        var quietSince = Stopwatch.GetTimestamp();
        while (seen < expected && Stopwatch.GetElapsedTime(quietSince) < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(10);
            var count = await subscribers.CountAsync();
            if (count != seen)
            {
                seen = count;
                quietSince = Stopwatch.GetTimestamp();
            }
        }

        var cpu = meter.Sample().Since(before);
        var wall = clock.Elapsed.TotalSeconds;
        var receipts = await subscribers.StopRoundAsync();
        return (new FanOutRound(label, serverKey, appends, expected, receipts.SortedLatenciesMs(), receipts.SortedAfterAckMs(appends), cpu, wall), receipts);
    }

    public const string Legend =
        "(p50...max: append sent -> message received, over every receipt; ack: the append's HTTP round trip; after ack: receipt minus the ack's arrival "
        + "for the same append, negative when the subscriber was first; CPU: cores used during the round, client = appender + both subscriber processes)";

    public const string Header =
        "                                    appends receipts missing |  p50 ms  p99 ms p99.9 ms  max ms | ack p50 ack p99 | after ack p50 p99 | CPU cores: server postgres client machine";

    public string Describe() =>
        $"{Label,-35} {Appends.Acknowledged,7} {LatencyMs.Length,8} {Missing,7} | {P50,7:0.00} {P99,7:0.00} {P999,8:0.00} {Max,7:0.0} | "
        + $"{Percentiles.Of(Appends.AckMs, 0.5),7:0.00} {Percentiles.Of(Appends.AckMs, 0.99),7:0.00} | {Percentiles.Of(AfterAckMs, 0.5),13:0.00} {Percentiles.Of(AfterAckMs, 0.99),5:0.00} | "
        + $"{Cores(ServerKey),16:0.00} {Cores(CpuMeter.PostgresGroup),8:0.00} {ClientCores,6:0.00} {Cpu.MachineBusy,7:0%}";

    /// <summary>The median round of each figure, as one line.</summary>
    public static string DescribeMedians(string label, IReadOnlyList<FanOutRound> rounds)
    {
        static double M(IEnumerable<double> values) => ClusterBenchmark.Middle(values);
        return $"{label,-35} {M(rounds.Select(r => (double)r.Appends.Acknowledged)),7:0} {M(rounds.Select(r => (double)r.LatencyMs.Length)),8:0} {rounds.Sum(r => r.Missing),7} | "
            + $"{M(rounds.Select(r => r.P50)),7:0.00} {M(rounds.Select(r => r.P99)),7:0.00} {M(rounds.Select(r => r.P999)),8:0.00} {M(rounds.Select(r => r.Max)),7:0.0} | "
            + $"{M(rounds.Select(r => Percentiles.Of(r.Appends.AckMs, 0.5))),7:0.00} {M(rounds.Select(r => Percentiles.Of(r.Appends.AckMs, 0.99))),7:0.00} | "
            + $"{M(rounds.Select(r => Percentiles.Of(r.AfterAckMs, 0.5))),13:0.00} {M(rounds.Select(r => Percentiles.Of(r.AfterAckMs, 0.99))),5:0.00} | "
            + $"{M(rounds.Select(r => r.Cores(r.ServerKey))),16:0.00} {M(rounds.Select(r => r.Cores(CpuMeter.PostgresGroup))),8:0.00} {M(rounds.Select(r => r.ClientCores)),6:0.00} {M(rounds.Select(r => r.Cpu.MachineBusy)),7:0%}";
    }
}
