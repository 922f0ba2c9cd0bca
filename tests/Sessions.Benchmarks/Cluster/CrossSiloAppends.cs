using System.Text.Json;
using Sessions.Abstractions;
using Sessions.Client;

namespace Sessions.Benchmarks;

/// <summary>
/// Part 2 of the cluster mode: the same append load (clients, sessions, duration, content) on a 1-silo cluster over
/// HTTP, on a 3-silo cluster over HTTP with the requests spread evenly over the silos (so about 2/3 of them reach
/// a silo that does not hold the session and hop to the one that does), and on the 3-silo cluster through the cluster
/// client, which sends each append through one of the silos' gateways (Orleans picks the gateway per grain; when it is
/// not the holder, the gateway hops on). Rounds alternate the three, starting each round with the next
/// one, so that all see the same machine and the same growth of the tables.
/// </summary>
internal static class CrossSiloAppends
{
    public static async Task RunAsync(BenchmarkSettings settings, BenchCluster one, BenchCluster three, SessionsClusterClient client, CpuMeter meter)
    {
        var clients = settings.Clients;
        var command = new AppendMessageCommand("bench-alice", "text", JsonDocument.Parse(ClusterBenchmark.Content).RootElement.Clone(), null, null, null);
        long sent = 0;
        long hopped = 0;
        var variants = new (string Name, BenchCluster Cluster, Func<int, long, Task> Append)[]
        {
            ("1 silo, HTTP", one, (l, n) =>
                one.Http[0].AppendAsync(one.Sessions[ClusterBenchmark.Pick(one.Sessions.Length, clients, l, n)], "bench-alice", ClusterBenchmark.Content)),
            ("3 silos, HTTP spread over the silos", three, (l, n) =>
            {
                var i = ClusterBenchmark.Pick(three.Sessions.Length, clients, l, n);
                var silo = (int)((l + n) % three.Http.Length);
                Interlocked.Increment(ref sent);
                if (silo != three.Owners[i])
                {
                    Interlocked.Increment(ref hopped);
                }

                return three.Http[silo].AppendAsync(three.Sessions[i], "bench-alice", ClusterBenchmark.Content);
            }),
            ("3 silos, cluster client", three, (l, n) =>
                ClusterBenchmark.Counted(client.GetGrain<IChatSessionGrain>(three.Sessions[ClusterBenchmark.Pick(three.Sessions.Length, clients, l, n)]).AppendAsync(command))),
        };

        // Unreported: warms the append path of every silo (statements prepared, pools filled) before round 1.
        foreach (var (_, _, append) in variants)
        {
            await LoadRunner.RunAsync(clients, TimeSpan.FromSeconds(Math.Clamp(settings.Duration.TotalSeconds / 5, 1, 2)), append);
        }

        var rounds = variants.Select(_ => new List<Measurement>()).ToArray();
        var batches = variants.Select(_ => new List<double>()).ToArray();
        var hopShares = new List<double>();
        Console.WriteLine("Appends (one message per call, each acknowledged after commit); each round starts with the next variant:");
        for (var round = 1; round <= settings.Rounds; round++)
        {
            for (var k = 0; k < variants.Length; k++)
            {
                var v = (round - 1 + k) % variants.Length;
                (sent, hopped) = (0, 0);
                var since = await variants[v].Cluster.DatabaseNowAsync();
                rounds[v].Add(await Measurement.RunAsync(meter, clients, settings.Duration, variants[v].Append));
                var (appends, commits) = await variants[v].Cluster.CountAppendsSinceAsync(since);
                batches[v].Add(commits == 0 ? double.NaN : (double)appends / commits);
                if (v == 1)
                {
                    hopShares.Add((double)Interlocked.Read(ref hopped) / Math.Max(1, Interlocked.Read(ref sent)));
                }
            }

            for (var v = 0; v < variants.Length; v++)
            {
                var r = rounds[v][^1].Load;
                var note = v == 1 ? $"  ({hopShares[^1]:0%} hopped to the holder)" : "";
                Console.WriteLine($"  {(v == 0 ? $"round {round}" : ""),-8} {variants[v].Name,-36} {r.PerSecond,8:0}/s  p50 {r.P50Ms,6:0.00} ms  p99 {r.P99Ms,7:0.00} ms"
                    + $"  errors {r.Errors}  {batches[v][^1],4:0.0} per commit{note}");
            }
        }

        Console.WriteLine();
        Console.WriteLine("Medians over rounds                        appends/s   p50 ms   p99 ms  errors  per commit | cpu ms/append:  silos  postgres  bench  softirq  other  busy");
        for (var v = 0; v < variants.Length; v++)
        {
            var m = LoadResult.Median(rounds[v].Select(r => r.Load).ToList());
            var cluster = variants[v].Cluster;
            double Cpu(Func<Measurement, double> of) => ClusterBenchmark.Middle(rounds[v].Select(of));
            Console.WriteLine(
                $"{"append  " + variants[v].Name,-44} {m.PerSecond,8:0} {m.P50Ms,8:0.00} {m.P99Ms,8:0.00} {m.Errors,7} {ClusterBenchmark.Middle(batches[v]),11:0.0} |"
                + $"{"",15}{Cpu(r => r.CpuMsPerOp(cluster.IsMine)),7:0.000}{Cpu(r => r.CpuMsPerOp(k => k == CpuMeter.PostgresGroup)),10:0.000}"
                + $"{Cpu(r => r.CpuMsPerOp(k => k == CpuMeter.SelfGroup)),7:0.000}{Cpu(r => r.SoftIrqCpuMsPerOp),9:0.000}{Cpu(r => r.OtherCpuMsPerOp),7:0.000}"
                + $"{Cpu(r => r.Cpu.MachineBusy),6:0%}");
        }

        var single = LoadResult.Median(rounds[0].Select(r => r.Load).ToList()).PerSecond;
        Console.WriteLine();
        Console.WriteLine($"append ratio 3 silos HTTP / 1 silo HTTP:           {LoadResult.Median(rounds[1].Select(r => r.Load).ToList()).PerSecond / single:0.00}x"
            + $"  ({ClusterBenchmark.Middle(hopShares):0%} of its appends hopped to the holding silo)");
        Console.WriteLine($"append ratio 3 silos cluster client / 1 silo HTTP: {LoadResult.Median(rounds[2].Select(r => r.Load).ToList()).PerSecond / single:0.00}x");
        Console.WriteLine("  per commit: appends per PostgreSQL transaction (each silo group-commits the appends it runs, so more silos make");
        Console.WriteLine("  smaller groups). cpu ms/append: CPU spent per acknowledged append by the cluster's silo processes, PostgreSQL");
        Console.WriteLine("  (all its processes), this load generator, the kernel's network processing (softirq, loopback TCP), and other");
        Console.WriteLine("  programs (if large, something else competed for the cores); busy: share of all cores in use during the round.");
    }
}
