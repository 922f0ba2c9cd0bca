using System.Text.Json;
using Sessions.Abstractions;
using Sessions.Client;

namespace Sessions.Benchmarks;

/// <summary>
/// Part 3 of the cluster mode: does a page of messages pay for crossing the grain boundary as ready-made JSON bytes
/// (<see cref="IChatSessionGrain.ListMessagesJsonAsync"/>, written from the tail cache's serialized messages) instead of
/// as typed messages (<see cref="IChatSessionGrain.ListMessagesAsync"/>) that the gateway then writes as JSON? Both are
/// measured as the HTTP gateway would use them, to the point of holding the response body's bytes: inside a silo (no
/// serialization between caller and grain) and through the cluster client (Orleans' serializer on the wire).
/// </summary>
internal static class PageTransfer
{
    private const int PageSize = 50;
    private const int Sessions = 16;

    public static async Task RunAsync(BenchmarkSettings settings, BenchCluster three, SessionsClusterClient client, CpuMeter meter)
    {
        var duration = TimeSpan.FromSeconds(Math.Max(2, settings.Duration.TotalSeconds / 2));
        var sessions = three.Sessions.Take(Sessions).ToArray();
        var command = new AppendMessageCommand("bench-alice", "text", JsonDocument.Parse(ClusterBenchmark.Content).RootElement.Clone(), null, null, null);
        await Parallel.ForEachAsync(sessions, async (id, _) =>
        {
            for (var i = 0; i < PageSize + 10; i++)
            {
                await client.GetGrain<IChatSessionGrain>(id).AppendAsync(command);
            }
        });

        await using var local = await InProcessSilo.StartAsync(three.Cluster.ConnectionString);
        var query = new MessageQuery(AfterSeq: null, BeforeSeq: null, Limit: PageSize);
        IChatSessionGrain At(IGrainFactory grains, int c, int l, long n) => grains.GetGrain<IChatSessionGrain>(sessions[ClusterBenchmark.Pick(sessions.Length, c, l, n)]);
        var variants = new (string Name, Func<int, Func<int, long, Task>> Read)[]
        {
            ("in-process, JSON bytes", c => async (l, n) => _ = (await At(local.Grains, c, l, n).ListMessagesJsonAsync(query)).Utf8Json),
            ("in-process, typed page + JSON", c => async (l, n) => _ = Json(await At(local.Grains, c, l, n).ListMessagesAsync(query))),
            ("cluster client, JSON bytes", c => async (l, n) => _ = (await At(client.Client, c, l, n).ListMessagesJsonAsync(query)).Utf8Json),
            ("cluster client, typed page + JSON", c => async (l, n) => _ = Json(await At(client.Client, c, l, n).ListMessagesAsync(query))),
        };

        foreach (var (_, read) in variants)
        {
            await LoadRunner.RunAsync(settings.Clients, TimeSpan.FromSeconds(1), read(settings.Clients));
        }

        Console.WriteLine($"Page transfer: the newest {PageSize} messages of {sessions.Length} sessions (from the tail cache), to the response body's bytes, {duration.TotalSeconds:0} s per figure");
        Console.WriteLine($"                                        ---- concurrency 1 ----   --- concurrency {settings.Clients,-3} -----");
        Console.WriteLine("                                         pages/s  p50 ms  p99 ms   pages/s  p50 ms  p99 ms  errors");
        var results = new List<(Measurement Alone, Measurement Loaded)>();
        foreach (var (name, read) in variants)
        {
            var alone = await Measurement.RunAsync(meter, 1, duration, read(1));
            var loaded = await Measurement.RunAsync(meter, settings.Clients, duration, read(settings.Clients));
            results.Add((alone, loaded));
            Console.WriteLine($"{name,-38} {alone.Load.PerSecond,9:0} {alone.Load.P50Ms,7:0.000} {alone.Load.P99Ms,7:0.000}"
                + $" {loaded.Load.PerSecond,9:0} {loaded.Load.P50Ms,7:0.000} {loaded.Load.P99Ms,7:0.000} {alone.Load.Errors + loaded.Load.Errors,7}");
        }

        Console.WriteLine($"  JSON bytes / typed page, pages/s at {settings.Clients}: in-process {results[0].Loaded.Load.PerSecond / results[1].Loaded.Load.PerSecond:0.00}x, "
            + $"through the cluster client {results[2].Loaded.Load.PerSecond / results[3].Loaded.Load.PerSecond:0.00}x");
    }

    private static byte[] Json(MessagePage page) => JsonSerializer.SerializeToUtf8Bytes(page, SessionsJsonContext.Default.MessagePage);
}
