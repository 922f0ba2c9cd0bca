using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Grains;
using Sessions.Storage;
using Sessions.Testing.InProcess;

namespace Sessions.Benchmarks;

/// <summary>
/// Part 1 of the cluster mode: the round trip of a grain call that does no I/O (<see cref="IChatSessionGrain.GetAsync"/>
/// answers from the activation's memory), so what is measured is the path to the grain and back:
/// <list type="bullet">
/// <item>in process: a silo hosted in this benchmark process (its own cluster id, the 3-silo cluster's database)
///   calling its own activations: argument and result JSON plus the activation's turn, no network;</item>
/// <item>cluster client: <see cref="SessionsClusterClient"/> straight to the owner over the silo protocol (HTTP/2),
///   exactly what one silo calling another costs;</item>
/// <item>HTTP GET of the session at its owner silo, and at a non-owner silo, which forwards the grain call to the
///   owner over the silo protocol: the difference is the in-cluster hop as a gateway pays it.</item>
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
        // TestCluster gives its silos a data source for membership only; the chat grains need the stores too.
        await using var local = await TestCluster.StartAsync(1, silo =>
        {
            silo.Services.AddSessionsStorage(three.Cluster.ConnectionString);
            silo.AddChatGrains();
        }, three.Cluster.ConnectionString);
        var localGrains = local.Silos[0].Grains;
        await Parallel.ForAsync(0, sessions.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await localGrains.GetGrain<IChatSessionGrain>(sessions[i]).GetAsync());

        var variants = new (string Name, CallAt Call)[]
        {
            ("in-process call (no hop)", c => (l, n) =>
                ClusterBenchmark.Counted(localGrains.GetGrain<IChatSessionGrain>(sessions[ClusterBenchmark.Pick(sessions.Length, c, l, n)]).GetAsync())),
            ("cluster client -> owner (silo protocol)", c => (l, n) =>
                ClusterBenchmark.Counted(client.GetGrain<IChatSessionGrain>(sessions[ClusterBenchmark.Pick(sessions.Length, c, l, n)]).GetAsync())),
            ("HTTP GET at the owner silo", c => (l, n) =>
            {
                var i = ClusterBenchmark.Pick(sessions.Length, c, l, n);
                return three.Http[three.Owners[i]].GetSessionAsync(sessions[i]);
            }),
            ("HTTP GET at a non-owner (+1 silo hop)", c => (l, n) =>
            {
                var i = ClusterBenchmark.Pick(sessions.Length, c, l, n);
                return three.Http[(three.Owners[i] + 1 + (int)(n % (three.Http.Length - 1))) % three.Http.Length].GetSessionAsync(sessions[i]);
            }),
        };

        // Unreported: JIT, connection pools and HTTP/2 connections between every pair of silos.
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

        Console.WriteLine($"  silo protocol round trip (cluster client - in-process), p50: +{results[1, 0].Load.P50Ms - results[0, 0].Load.P50Ms:0.000} ms alone, "
            + $"+{results[1, 1].Load.P50Ms - results[0, 1].Load.P50Ms:0.000} ms at {levels[1]}");
        Console.WriteLine($"  silo-to-silo hop in the cluster (HTTP non-owner - owner), p50: +{results[3, 0].Load.P50Ms - results[2, 0].Load.P50Ms:0.000} ms alone, "
            + $"+{results[3, 1].Load.P50Ms - results[2, 1].Load.P50Ms:0.000} ms at {levels[1]}");
        Console.WriteLine("  in-process: a silo inside this benchmark process calling its own activation (call JSON + the grain's turn, no network).");
        Console.WriteLine("  cluster client: SessionsClusterClient -> HTTP/2 silo endpoint of the owner, the same request a silo sends a silo.");
        Console.WriteLine("  HTTP GET /api/sessions/{id}: at the owner the grain call is local; at another silo it crosses to the owner over");
        Console.WriteLine("  the silo protocol. cpu ms/call: CPU spent per call by the 3 silo processes, this process (the in-process silo is");
        Console.WriteLine("  'bench'), the kernel's loopback network processing (softirq) and other programs.");
    }
}
