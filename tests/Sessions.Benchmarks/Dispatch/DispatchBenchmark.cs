using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Sessions.Benchmarks.Realtime;
using Sessions.Embedded;
using Sessions.Testing;
using Sessions.Testing.Cluster;
using Sessions.Testing.Webhooks;

namespace Sessions.Benchmarks.Dispatch;

/// <summary>
/// <c>dispatch</c> mode: how long a message takes from its append to the agent's webhook — through the session grain,
/// the Orleans memory stream, the dispatcher grain, the delivery log and a signed POST — next to the same rate of plain
/// POSTs sent straight to the same webhook endpoint (the baseline: what HTTP on this machine costs). The gateway runs
/// as its own process on a private PostgreSQL; the endpoint is a Kestrel server in this process answering 200 at once.
/// Rounds alternate baseline and dispatch. Lag is the endpoint's arrival time minus the append's send time (monotonic
/// clock), for the first arrival of every message.
/// </summary>
internal static class DispatchBenchmark
{
    private const string Agent = "bench-agent";
    private const string Direct = "direct";

    public static async Task RunAsync(string[] args)
    {
        var sessions = Option(args, "--sessions", 200);
        var rate = Option(args, "--rate", 200);
        var seconds = Option(args, "--seconds", 10);
        var rounds = Option(args, "--rounds", 3);
        var at = Array.IndexOf(args, "--notices");
        var providers = (at >= 0 && at + 1 < args.Length ? args[at + 1] : "memory,adonet").Split(',', StringSplitOptions.RemoveEmptyEntries);
        Console.WriteLine($"Sessions dispatch benchmark: {sessions} sessions with an agent, {rate} appends/s, {seconds} s x {rounds} rounds, notices on {string.Join(" and ", providers)}, {Environment.ProcessorCount} cores");

        var summaries = new List<string>();
        foreach (var provider in providers)
        {
            summaries.Add(await RunProviderAsync(provider, sessions, rate, seconds, rounds));
        }

        Console.WriteLine();
        summaries.ForEach(Console.WriteLine);
    }

    /// <summary>
    /// One gateway (on a fresh PostgreSQL) whose notices run on <paramref name="provider"/> (Memory or AdoNet): its
    /// idle CPU, then rounds alternating the baseline and dispatch. Returns the summary line.
    /// </summary>
    private static async Task<string> RunProviderAsync(string provider, int sessions, int rate, int seconds, int rounds)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"sessions-bench-{Environment.ProcessId}-{provider}");
        try
        {
            // Declared in the try, so PostgreSQL stops (after the gateway) before its folder is removed.
            await using var embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = dataDirectory, DatabaseName = "sessions_bench" }, NullLogger.Instance, CancellationToken.None);
            await using var sink = await WebhookSink.StartAsync();
            await using var gateway = new SiloProcess("bench-silo", embedded.ConnectionString, "bench", new Dictionary<string, string?>
            {
                ["DOTNET_gcServer"] = "1",
                ["Sessions__Webhooks__AllowLoopback"] = "true",
                ["Sessions__Webhooks__NoticeStream"] = provider,
            });
            gateway.Start();
            await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
            var sessionIds = await SetUpAsync(gateway, sink, sessions);
            var cpu = new CpuMeter(gateway.Pid);

            Console.WriteLine();
            Console.WriteLine($"Notices on {provider}:");
            var idle = await cpu.MeasureAsync(() => Task.Delay(TimeSpan.FromSeconds(10)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle for 10 s: gateway {idle.Gateway / 10:0.000} cores, PostgreSQL {idle.Database / 10:0.000} cores"));

            using var appender = new FixedRateAppender(NewHttpClient(gateway.BaseAddress), sessionIds, rate);
            using var poster = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { BaseAddress = sink.BaseAddress };
            await RoundAsync("warm-up", 0, seconds: 3, () => appender.RunAsync(0, TimeSpan.FromSeconds(3), 0), sink, Agent);

            Console.WriteLine("Append (or POST) sent -> webhook arrival, first arrival of each message; CPU seconds per 1,000 messages:");
            Console.WriteLine($"{"",-26} {"messages",8} {"arrived",8} {"p50 ms",8} {"p99 ms",8} {"max ms",8} | {"requests",8} {"msgs/req",8} | {"gw cpu",7} {"db cpu",7}");
            var baseline = new List<double[]>();
            var dispatch = new List<double[]>();
            for (var round = 1; round <= rounds; round++)
            {
                var direct = round * 2 - 1;
                baseline.Add(await RoundAsync($"round {round} baseline", direct, seconds, () => PostDirectAsync(poster, direct, rate, TimeSpan.FromSeconds(seconds)), sink, Direct));
                var viaAgent = round * 2;
                dispatch.Add(await RoundAsync($"round {round} dispatch", viaAgent, seconds, () => appender.RunAsync(viaAgent, TimeSpan.FromSeconds(seconds), 0), sink, Agent, cpu));
            }

            double Median(List<double[]> runs, double q) => runs.Select(r => Percentile(r, q)).Order().ElementAt(runs.Count / 2);
            return string.Create(CultureInfo.InvariantCulture, $"{provider,-7} medians over rounds: baseline p50 {Median(baseline, 0.5):0.00} ms, p99 {Median(baseline, 0.99):0.00} ms; "
                + $"dispatch p50 {Median(dispatch, 0.5):0.00} ms, p99 {Median(dispatch, 0.99):0.00} ms; "
                + $"ratio p50 {Median(dispatch, 0.5) / Median(baseline, 0.5):0.0}x, p99 {Median(dispatch, 0.99) / Median(baseline, 0.99):0.0}x; "
                + $"idle gateway {idle.Gateway / 10:0.000} cores, PostgreSQL {idle.Database / 10:0.000} cores");
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<string[]> SetUpAsync(SiloProcess gateway, WebhookSink sink, int count)
    {
        using var http = NewHttpClient(gateway.BaseAddress);
        foreach (var id in new[] { "bench-alice", "bench-bob" })
        {
            await ExpectAsync(await http.PostAsync("/api/participants", Json($$"""{"id":"{{id}}","kind":"human"}""")), HttpStatusCode.Created);
        }

        await ExpectAsync(await http.PostAsync("/api/agents", Json($$$"""{"id":"{{{Agent}}}","url":"{{{sink.UrlOf(Agent)}}}","history":{"mode":"last"}}""")), HttpStatusCode.Created);
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            var created = await ExpectAsync(await http.PostAsync("/api/sessions", Json($$"""{"initiator_id":"bench-alice","peer_id":"bench-bob","agent_id":"{{Agent}}"}""")), HttpStatusCode.Created);
            ids[i] = created.GetProperty("id").GetString()!;
        }

        return ids;
    }

    /// <summary>
    /// Runs one round and waits (up to 10 s of quiet) for its messages; prints and returns the sorted lags in ms, and
    /// with <paramref name="cpu"/> the CPU the gateway and PostgreSQL spent on the round per 1,000 messages.
    /// </summary>
    private static async Task<double[]> RoundAsync(string label, int round, int seconds, Func<Task<AppendRun>> run, WebhookSink sink, string agent, CpuMeter? cpu = null)
    {
        var sent = 0;
        var lags = Array.Empty<double>();
        var requests = 0;
        var spent = await (cpu ?? CpuMeter.None).MeasureAsync(async () =>
        {
            sent = (await run()).Acknowledged;
            var quietSince = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(quietSince) < TimeSpan.FromSeconds(10))
            {
                var (nowLags, nowRequests) = LagsOf(sink, agent, round);
                if (nowLags.Length != lags.Length)
                {
                    quietSince = Stopwatch.GetTimestamp();
                }

                (lags, requests) = (nowLags, nowRequests);
                if (lags.Length >= sent)
                {
                    break;
                }

                await Task.Delay(50);
            }
        });

        var perThousand = cpu is null || sent == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" | {spent.Gateway * 1000 / sent,7:0.00} {spent.Database * 1000 / sent,7:0.00}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-26} {sent,8} {lags.Length,8} {Percentile(lags, 0.5),8:0.00} {Percentile(lags, 0.99),8:0.00} {(lags.Length > 0 ? lags[^1] : double.NaN),8:0.0} | {requests,8} {(requests > 0 ? lags.Length / (double)requests : 0),8:0.00}{perThousand}"));
        return lags;
    }

    /// <summary>Lags (ms, sorted) of the messages of <paramref name="round"/> that reached the endpoint as <paramref name="agent"/>, first arrival each.</summary>
    private static (double[] Lags, int Requests) LagsOf(WebhookSink sink, string agent, int round)
    {
        var first = new Dictionary<long, long>();
        var requests = 0;
        foreach (var request in sink.Received.Where(r => r.AgentId == agent))
        {
            var counted = false;
            foreach (var message in request.Json.GetProperty("messages").EnumerateArray())
            {
                var content = message.GetProperty("content");
                if (content.GetProperty("r").GetInt32() != round)
                {
                    continue;
                }

                counted = true;
                var sentTicks = content.GetProperty("t").GetInt64();
                if (!first.TryGetValue(sentTicks, out var arrived) || request.ReceivedTicks < arrived)
                {
                    first[sentTicks] = request.ReceivedTicks;
                }
            }

            requests += counted ? 1 : 0;
        }

        return ([.. first.Select(p => (p.Value - p.Key) * 1000.0 / Stopwatch.Frequency).Order()], requests);
    }

    /// <summary>The baseline: the same rate of POSTs, each with one message shaped as a delivery carries it, straight to the endpoint.</summary>
    private static async Task<AppendRun> PostDirectAsync(HttpClient http, int round, int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var calls = new Task<bool>[total];
        var start = Stopwatch.GetTimestamp();
        for (var issued = 0; issued < total;)
        {
            var due = Math.Min(total, (int)((Stopwatch.GetTimestamp() - start) * rate / Stopwatch.Frequency) + 1);
            for (; issued < due; issued++)
            {
                calls[issued] = PostOneAsync(http, round);
            }

            await Task.Delay(1);
        }

        var ok = (await Task.WhenAll(calls)).Count(x => x);
        return new AppendRun(total, ok, total - ok, [], 0, [], []);
    }

    private static async Task<bool> PostOneAsync(HttpClient http, int round)
    {
        var sent = Stopwatch.GetTimestamp();
        var body = $$$"""{"type":"session.messages","messages":[{"seq":1,"sender_id":"bench-alice","kind":"text","content":{"t":{{{sent}}},"r":{{{round}}},"text":"Hello there, this is a benchmark message of ordinary size."}}],"history":[]}""";
        using var response = await http.PostAsync($"/agents/{Direct}", Json(body));
        return response.IsSuccessStatusCode;
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpClient NewHttpClient(Uri address) =>
        new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) }
            .Authorize();

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return response.StatusCode == status
                ? JsonDocument.Parse(text).RootElement.Clone()
                : throw new InvalidOperationException($"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        }
    }
}
