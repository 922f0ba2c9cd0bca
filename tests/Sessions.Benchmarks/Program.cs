// Appends and tail reads through the real gateway (its own process, real HTTP on loopback) against the same
// work done with raw SQL on the same PostgreSQL, alternating rounds so both see the same machine conditions.
//
//   dotnet run -c Release --project tests/Sessions.Benchmarks [-- --clients 32 --sessions 1000 --seconds 10 --rounds 3]
//   dotnet run -c Release --project tests/Sessions.Benchmarks -- cluster [--clients 32 ...]   (silo hops: see ClusterBenchmark)
//   dotnet run -c Release --project tests/Sessions.Benchmarks -- realtime [--sessions 1000 --subscribers-per-session 10 --rate 500 ...]
//       (WebSocket fan-out against a plain broadcast server, and slow consumers: see Realtime/RealtimeBenchmark)
//   dotnet run -c Release --project tests/Sessions.Benchmarks -- dispatch [--sessions 200 --rate 200 --seconds 10 --rounds 3 --notices memory,adonet]
//       (append-to-webhook lag through the agent dispatcher against direct POSTs: see Dispatch/DispatchBenchmark)
//
// With ConnectionStrings__Sessions set it uses that database (it must be empty of benchmark data); otherwise it
// starts a private PostgreSQL in a temporary folder and removes it afterwards.
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Sessions.Benchmarks;
using Sessions.Benchmarks.Realtime;
using Sessions.Embedded;
using Sessions.Testing.Cluster;

if (args is ["cluster", .. var clusterArgs])
{
    await ClusterBenchmark.RunAsync(BenchmarkSettings.Parse(clusterArgs));
    return;
}

if (args is ["realtime", .. var realtimeArgs])
{
    await RealtimeBenchmark.RunAsync(RealtimeSettings.Parse(realtimeArgs));
    return;
}

if (args is ["dispatch", .. var dispatchArgs])
{
    await Sessions.Benchmarks.Dispatch.DispatchBenchmark.RunAsync(dispatchArgs);
    return;
}

if (args is [BroadcastServer.Mode, .. var serverArgs])
{
    // The realtime mode's baseline, started by it as a child process.
    await BroadcastServer.RunAsync(serverArgs);
    return;
}

if (args is [SubscriberHost.Mode, .. var subscriberArgs])
{
    // The realtime mode's subscribers of one server, started by it as a child process.
    await SubscriberHost.RunAsync(subscriberArgs);
    return;
}

const string GatewayGroup = "gateway";
var settings = BenchmarkSettings.Parse(args);
Console.WriteLine($"Sessions benchmark: {settings.Clients} clients, {settings.Sessions} sessions, {settings.Duration.TotalSeconds:0} s x {settings.Rounds} rounds, {Environment.ProcessorCount} cores");

var dataDirectory = Path.Combine(Path.GetTempPath(), $"sessions-bench-{Environment.ProcessId}");
EmbeddedPostgres? embedded = null;
var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Sessions");
if (string.IsNullOrEmpty(connectionString))
{
    embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = dataDirectory, DatabaseName = "sessions_bench" }, NullLogger.Instance, CancellationToken.None);
    connectionString = embedded.ConnectionString;
}

try
{
    // The real gateway as its own process (as in production), on free loopback ports: the launcher the tests use.
    await using var gateway = new SiloProcess("bench-silo", connectionString, "bench", new Dictionary<string, string?> { ["DOTNET_gcServer"] = "1" });
    gateway.Start();
    await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
    await using var database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 32, MaxPoolSize = settings.Clients + 8 }.ConnectionString);
    using var http = new SessionsHttpClient(gateway.BaseAddress, settings.Clients + 8);
    var baseline = new RawSqlBaseline(database);
    var cpu = await CpuMeter.CreateAsync(new Dictionary<string, int> { [GatewayGroup] = gateway.Pid }, connectionString);
    const string Content = """{"text":"Hello there, this is a benchmark message of ordinary size."}""";

    await http.CreateParticipantAsync("bench-alice");
    await http.CreateParticipantAsync("bench-bob");
    var httpSessions = new string[settings.Sessions];
    for (var i = 0; i < httpSessions.Length; i++)
    {
        httpSessions[i] = await http.CreateSessionAsync("bench-alice", "bench-bob");
    }

    var rawSessions = Enumerable.Range(0, settings.Sessions).Select(i => $"raw-{i}").ToArray();
    await baseline.CreateSessionsAsync(rawSessions, "bench-alice", "bench-bob");

    // Each client walks the sessions with its own stride, so all sessions get traffic and clients rarely collide.
    string Pick(string[] sessions, int client, long n) => sessions[(int)((client + n * settings.Clients) % sessions.Length)];

    var httpAppends = new List<LoadResult>();
    var rawAppends = new List<LoadResult>();
    Console.WriteLine("Appends (one message per request, each acknowledged after commit):");
    for (var round = 1; round <= settings.Rounds; round++)
    {
        var raw = await MeasureAsync(cpu, settings.Duration, () => LoadRunner.RunAsync(settings.Clients, settings.Duration, (c, n) => baseline.AppendAsync(Pick(rawSessions, c, n), "bench-alice", Content)));
        var viaHttp = await MeasureAsync(cpu, settings.Duration, () => LoadRunner.RunAsync(settings.Clients, settings.Duration, (c, n) => http.AppendAsync(Pick(httpSessions, c, n), "bench-alice", Content)));
        rawAppends.Add(raw);
        httpAppends.Add(viaHttp);
        Console.WriteLine($"  round {round}: raw SQL {Describe(raw)} | HTTP {Describe(viaHttp)}");
    }

    // Tail reads: sessions with more messages than a page, warmed through the gateway so its tail caches hold them.
    var tailSessions = httpSessions.Take(settings.TailSessions).ToArray();
    foreach (var session in tailSessions)
    {
        for (var seq = await baseline.LastSeqAsync(session); seq < settings.TailLimit + 10; seq++)
        {
            await http.AppendAsync(session, "bench-bob", Content);
        }

        await http.ReadTailAsync(session, settings.TailLimit);
    }

    var httpTails = new List<LoadResult>();
    var rawTails = new List<LoadResult>();
    Console.WriteLine($"Warm tail reads (newest {settings.TailLimit} messages of {tailSessions.Length} sessions):");
    for (var round = 1; round <= settings.Rounds; round++)
    {
        var raw = await MeasureAsync(cpu, settings.Duration, () => LoadRunner.RunAsync(settings.Clients, settings.Duration, (c, n) => baseline.ReadTailAsync(Pick(tailSessions, c, n), settings.TailLimit)));
        var viaHttp = await MeasureAsync(cpu, settings.Duration, () => LoadRunner.RunAsync(settings.Clients, settings.Duration, (c, n) => http.ReadTailAsync(Pick(tailSessions, c, n), settings.TailLimit)));
        rawTails.Add(raw);
        httpTails.Add(viaHttp);
        Console.WriteLine($"  round {round}: raw SQL {Describe(raw)} | HTTP {Describe(viaHttp)}");
    }

    Console.WriteLine();
    Console.WriteLine("Medians over rounds                       ops/s      p50 ms   p99 ms   errors  gw CPU ms/op  pg CPU ms/op");
    Report("append  raw SQL (1 tx per append)", rawAppends);
    Report("append  HTTP gateway", httpAppends);
    Report("tail    raw SELECT", rawTails);
    Report("tail    HTTP gateway (warm cache)", httpTails);
    Console.WriteLine();
    Console.WriteLine($"append ratio HTTP / raw SQL:   {LoadResult.Median(httpAppends).PerSecond / LoadResult.Median(rawAppends).PerSecond:0.00}x  (target >= 1.0x)");
    Console.WriteLine($"tail ratio   HTTP / raw SELECT: {LoadResult.Median(httpTails).PerSecond / LoadResult.Median(rawTails).PerSecond:0.00}x  (target >= 2.5x)");
}
finally
{
    if (embedded is not null)
    {
        await embedded.DisposeAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }
}

static string Describe(LoadResult r) =>
    $"{r.PerSecond,8:0}/s p50 {r.P50Ms:0.00} ms p99 {r.P99Ms:0.00} ms, CPU/op gateway {r.GatewayCpuMs:0.000} + PostgreSQL {r.PostgresCpuMs:0.000} ms";

static void Report(string name, List<LoadResult> rounds)
{
    var m = LoadResult.Median(rounds);
    Console.WriteLine($"{name,-38} {m.PerSecond,10:0} {m.P50Ms,9:0.00} {m.P99Ms,8:0.00} {m.Errors,8} {m.GatewayCpuMs,12:0.000} {m.PostgresCpuMs,12:0.000}");
}

// The CPU the gateway and PostgreSQL spent during one load, per operation (the gateway idles through raw SQL rounds).
static async Task<LoadResult> MeasureAsync(CpuMeter cpu, TimeSpan duration, Func<Task<LoadResult>> load)
{
    var before = cpu.Sample();
    var result = await load();
    var spent = cpu.Sample().Since(before);
    var operations = Math.Max(1, result.PerSecond * duration.TotalSeconds);
    return result with
    {
        GatewayCpuMs = spent.Of(name => name == GatewayGroup) * 1000 / operations,
        PostgresCpuMs = spent.Of(name => name == CpuMeter.PostgresGroup) * 1000 / operations,
    };
}
