using Sessions.Abstractions;
using Sessions.Client;

namespace Sessions.Benchmarks;

/// <summary>
/// Part 1 of the cluster mode: the round trip of a grain call that does no I/O (<see cref="IChatSessionGrain.GetAsync"/>
/// answers from the activation's memory), so what is measured is the path to the grain and back:
/// <list type="bullet">
/// <item>in process: an Orleans silo hosted in this benchmark process (its own cluster, the 3-silo cluster's database)
///   calling its own activations: the activation's turn, no serialization (the records are immutable), no network;</item>
/// <item>cluster client: <see cref="SessionsClusterClient"/> to the silo holding the activation, through a gateway
///   (Orleans' binary protocol over TCP);</item>
/// <item>HTTP GET of the session at the silo holding it, and at another silo, which sends the grain call on to the
///   holder over Orleans' silo-to-silo connection: the difference is the in-cluster hop as the HTTP gateway pays it.</item>
/// </list>
/// </summary>
internal static class GrainCallLatency
{
    /// <summary>The operation of <see cref="LoadRunner"/> at <paramref name="concurrency"/> loops (each loop strides by it over the sessions).</summary>
    private delegate Func<int, long, Task> CallAt(int concurrency);

    public static async Task RunAsync(BenchmarkSettings settings, BenchCluster three, SessionsClusterClient client, CpuMeter meter)
    {
        var duration = TimeSpan.FromSeconds(Math.Max(2, settings.Duration.TotalSeconds / 2));
        var sessions = three.Sessions;
        await using var local = await InProcessSilo.StartAsync(three.Cluster.ConnectionString);
        var localGrains = local.Grains;
        await Parallel.ForAsync(0, sessions.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await localGrains.GetGrain<IChatSessionGrain>(sessions[i]).GetAsync());

        var variants = new (string Name, CallAt Call)[]
        {
            ("in-process call (no hop)", c => (l, n) =>
                ClusterBenchmark.Counted(localGrains.GetGrain<IChatSessionGrain>(sessions[ClusterBenchmark.Pick(sessions.Length, c, l, n)]).GetAsync())),
            ("cluster client -> holder (gateway)", c => (l, n) =>
                ClusterBenchmark.Counted(client.GetGrain<IChatSessionGrain>(sessions[ClusterBenchmark.Pick(sessions.Length, c, l, n)]).GetAsync())),
            ("HTTP GET at the holding silo", c => (l, n) =>
            {
                var i = ClusterBenchmark.Pick(sessions.Length, c, l, n);
                return three.Http[three.Owners[i]].GetSessionAsync(sessions[i]);
            }),
            ("HTTP GET at another silo (+1 silo hop)", c => (l, n) =>
            {
                var i = ClusterBenchmark.Pick(sessions.Length, c, l, n);
                return three.Http[(three.Owners[i] + 1 + (int)(n % (three.Http.Length - 1))) % three.Http.Length].GetSessionAsync(sessions[i]);
            }),
        };

        // Unreported: JIT, connection pools and connections between every pair of silos.
        foreach (var (_, call) in variants)
        {
            await LoadRunner.RunAsync(settings.Clients, TimeSpan.FromSeconds(1), call(settings.Clients));
        }

        int[] levels = [1, settings.Clients];
        var results = new Measurement[variants.Length, levels.Length];
        for (var level = 0; level < levels.Length; level++)
        {
            for (var v = 0; v < variants.Length; v++)
            {
                results[v, level] = await Measurement.RunAsync(meter, levels[level], duration, variants[v].Call(levels[level]));
            }
        }

        Console.WriteLine($"Grain-call latency: IChatSessionGrain.GetAsync, answered from the activation's memory (no database), {duration.TotalSeconds:0} s per figure");
        Console.WriteLine($"                                          ---- concurrency 1 ----   --- concurrency {levels[1],-3} ---------   cpu ms/call at {levels[1]}");
        Console.WriteLine("                                           calls/s  p50 ms  p99 ms   calls/s  p50 ms  p99 ms  errors   silos  bench softirq other");
        for (var v = 0; v < variants.Length; v++)
        {
            var (alone, loaded) = (results[v, 0], results[v, 1]);
            Console.WriteLine(
                $"{variants[v].Name,-40} {alone.Load.PerSecond,9:0} {alone.Load.P50Ms,7:0.000} {alone.Load.P99Ms,7:0.000}"
                + $" {loaded.Load.PerSecond,9:0} {loaded.Load.P50Ms,7:0.000} {loaded.Load.P99Ms,7:0.000} {alone.Load.Errors + loaded.Load.Errors,7}"
                + $" {loaded.CpuMsPerOp(three.IsMine),7:0.000} {loaded.CpuMsPerOp(k => k == CpuMeter.SelfGroup),6:0.000} {loaded.SoftIrqCpuMsPerOp,7:0.000} {loaded.OtherCpuMsPerOp,5:0.000}");
        }

        Console.WriteLine($"  client round trip (cluster client - in-process), p50: +{results[1, 0].Load.P50Ms - results[0, 0].Load.P50Ms:0.000} ms alone, "
            + $"+{results[1, 1].Load.P50Ms - results[0, 1].Load.P50Ms:0.000} ms at {levels[1]}");
        Console.WriteLine($"  silo-to-silo hop in the cluster (HTTP at another silo - at the holder), p50: +{results[3, 0].Load.P50Ms - results[2, 0].Load.P50Ms:0.000} ms alone, "
            + $"+{results[3, 1].Load.P50Ms - results[2, 1].Load.P50Ms:0.000} ms at {levels[1]}");
        Console.WriteLine("  in-process: an Orleans silo inside this benchmark process calling its own activation (the grain's turn, no network).");
        Console.WriteLine("  cluster client: SessionsClusterClient -> a silo's gateway port -> the holding silo (Orleans' binary protocol).");
        Console.WriteLine("  HTTP GET /api/sessions/{id}: at the holder the grain call is local; at another silo it crosses to the holder over");
        Console.WriteLine("  Orleans' silo connection. cpu ms/call: CPU spent per call by the 3 silo processes, this process (the in-process silo is");
        Console.WriteLine("  'bench'), the kernel's loopback network processing (softirq) and other programs.");
    }
}
