using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Sessions.Embedded;
using Sessions.Testing;
using Sessions.Testing.Cluster;

namespace Sessions.Benchmarks.Realtime;

/// <summary>
/// <c>realtime</c> mode: append-to-receipt latency of the WebSocket fan-out with many concurrent subscribers, next to
/// a broadcast server (<see cref="BroadcastServer"/>) holding the same subscribers in the same run, plain and with one
/// committed INSERT per message (the durable baseline), and what consumers that never read do to everyone else.
///
/// The gateway runs as its own process (server GC, <c>OutgoingQueueLength</c> set by <c>--queue</c>) on a private
/// PostgreSQL (or <c>ConnectionStrings__Sessions</c>); the baseline is a second process. Each server's subscribers,
/// <c>sessions × subscribers-per-session</c> WebSockets with one subscription each, connected for the whole run, live
/// in a subscriber process of their own (<see cref="SubscriberHost"/>); this process appends at a fixed rate over HTTP
/// (<see cref="FixedRateAppender"/>) and collects the receipts. Latency is the receipt time minus the send time of the
/// append, on the machine's monotonic clock, for every subscriber that got the message. Each round runs the plain
/// baseline, the durable baseline, then sessions. Then the slow-consumer phase: rounds with larger messages to fewer
/// sessions, without and with stalled connections (<see cref="StalledConsumers"/>) on the gateway.
/// </summary>
internal static class RealtimeBenchmark
{
    private const string Gateway = "gateway";
    private const string Baseline = "broadcast";
    private const string SlowConsumerLog = "WebSocket closed: slow-consumer";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan IdleSample = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(RealtimeSettings settings)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Sessions realtime benchmark: {settings.Sessions} sessions x {settings.SubscribersPerSession} = {settings.Subscribers} WebSocket subscribers on each server, "
            + $"{settings.Rate} appends/s, {settings.Duration.TotalSeconds:0} s x {settings.Rounds} rounds, {Environment.ProcessorCount} cores");

        // Each subscriber process holds one server's client sockets; the gateway holds as many, plus the stalled ones.
        var wanted = (ulong)(settings.Subscribers + settings.StalledConnections + 1024);
        var (before, after, problem) = FileDescriptors.EnsureAtLeast(wanted);
        Console.WriteLine(problem is null
            ? $"Open files (ulimit -n): {before}{(after != before ? $", raised to {after} for this process and the servers it starts" : "")}; needs about {wanted}."
            : $"Open files (ulimit -n): {before} → {after}; needs about {wanted}: {problem}.");

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
            await RunServersAsync(settings, connectionString);
        }
        finally
        {
            if (embedded is not null)
            {
                await embedded.DisposeAsync();
                Directory.Delete(dataDirectory, recursive: true);
            }
        }

        Console.WriteLine($"Total time {clock.Elapsed.TotalSeconds:0} s.");
    }

    private static async Task RunServersAsync(RealtimeSettings settings, string connectionString)
    {
        await using var gateway = new SiloProcess("bench-silo", connectionString, "bench", new Dictionary<string, string?>
        {
            ["DOTNET_gcServer"] = "1",
            ["Sessions__Realtime__OutgoingQueueLength"] = $"{settings.QueueLength}",
            // Each connection the server ends says why; the slow-consumer phase counts the "slow-consumer" ones.
            ["Logging__LogLevel__Sessions.Gateway.Realtime.RealtimeEndpoints"] = "Debug",
        });
        gateway.Start();
        await using var baseline = await BroadcastServerProcess.StartAsync(settings.QueueLength, connectionString);
        await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var gatewayEndPoint = new IPEndPoint(IPAddress.Loopback, gateway.HttpPort);

        var setup = Stopwatch.StartNew();
        var sessionIds = new string[settings.Sessions];
        using (var http = new SessionsHttpClient(gateway.BaseAddress, 16))
        {
            await http.CreateParticipantAsync("bench-alice");
            await http.CreateParticipantAsync("bench-bob");
            await Parallel.ForAsync(0, sessionIds.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
                sessionIds[i] = await http.CreateSessionAsync("bench-alice", "bench-bob"));
        }

        var groupIds = Enumerable.Range(0, settings.Sessions).Select(i => $"group-{i}").ToArray();
        Console.WriteLine($"Gateway (pid {gateway.Pid}, OutgoingQueueLength {settings.QueueLength}) and baseline (pid {baseline.Pid}, queue {settings.QueueLength}) up; {settings.Sessions} sessions created in {setup.Elapsed.TotalSeconds:0.0} s.");

        // Each server's subscribers in a process of their own (see SubscriberHost): this one only appends and measures.
        await using var baselineSubscribers = await SubscriberHostProcess.StartAsync(
            baseline.EndPoint, [.. groupIds.Select(g => "session:" + g)], settings.SubscribersPerSession, settings.ConnectConcurrency);
        Console.WriteLine($"{baselineSubscribers.Subscribers} subscribers connected to the baseline and subscribed in {baselineSubscribers.ConnectSeconds:0.0} s.");
        await using var gatewaySubscribers = await SubscriberHostProcess.StartAsync(
            gatewayEndPoint, [.. sessionIds.Select(s => "session:" + s)], settings.SubscribersPerSession, settings.ConnectConcurrency);
        Console.WriteLine($"{gatewaySubscribers.Subscribers} subscribers connected to the gateway and subscribed in {gatewaySubscribers.ConnectSeconds:0.0} s"
            + $" (open files: {OpenFiles(gatewaySubscribers.Pid)} and {OpenFiles(baselineSubscribers.Pid)} in the subscriber processes, {OpenFiles(gateway.Pid)} in the gateway, {OpenFiles(baseline.Pid)} in the baseline).");

        var meter = await CpuMeter.CreateAsync(
            new Dictionary<string, int>
            {
                [Gateway] = gateway.Pid,
                [Baseline] = baseline.Pid,
                [FanOutRound.ClientPrefix + Gateway] = gatewaySubscribers.Pid,
                [FanOutRound.ClientPrefix + Baseline] = baselineSubscribers.Pid,
            },
            connectionString);
        using var toBaseline = new FixedRateAppender(NewHttpClient(baseline.BaseAddress), groupIds, settings.Rate);
        using var toDurableBaseline = new FixedRateAppender(NewHttpClient(baseline.BaseAddress), groupIds, settings.Rate, "/api/durable/");
        using var toGateway = new FixedRateAppender(NewHttpClient(gateway.BaseAddress), sessionIds, settings.Rate);
        Task<(FanOutRound Round, ReceiptRound Receipts)> Measure(string label, Server server, TimeSpan duration, int padding) => server == Server.Sessions
            ? FanOutRound.RunAsync(label, Gateway, toGateway, gatewaySubscribers, settings.Rate, settings.SubscribersPerSession, duration, padding, meter)
            : FanOutRound.RunAsync(label, Baseline, server == Server.DurableBaseline ? toDurableBaseline : toBaseline, baselineSubscribers, settings.Rate, settings.SubscribersPerSession, duration, padding, meter);
        var hotSessions = sessionIds.Take(settings.SlowSessions).ToArray();
        using var toHotSessions = new FixedRateAppender(NewHttpClient(gateway.BaseAddress), hotSessions, settings.Rate);
        Task<(FanOutRound Round, ReceiptRound Receipts)> MeasureHot(string label) =>
            FanOutRound.RunAsync(label, Gateway, toHotSessions, gatewaySubscribers, settings.Rate, settings.SubscribersPerSession, settings.Duration, settings.SlowPayloadBytes, meter);

        // What holding the connections costs with no messages at all: keep-alive pings, heartbeats, timers.
        var idleBefore = meter.Sample();
        var idleClock = Stopwatch.StartNew();
        await Task.Delay(IdleSample);
        var idle = meter.Sample().Since(idleBefore);
        double IdleCores(Func<string, bool> group) => idle.Of(group) / idleClock.Elapsed.TotalSeconds;
        Console.WriteLine($"Idle, {settings.Subscribers} subscribers on each server and no messages, for {IdleSample.TotalSeconds:0} s: CPU cores gateway {IdleCores(p => p == Gateway):0.00}, "
            + $"baseline {IdleCores(p => p == Baseline):0.00}, postgres {IdleCores(p => p == CpuMeter.PostgresGroup):0.00}, "
            + $"subscriber processes {IdleCores(p => p == FanOutRound.ClientPrefix + Gateway):0.00} (gateway's) and {IdleCores(p => p == FanOutRound.ClientPrefix + Baseline):0.00} (baseline's); machine {idle.MachineBusy:0%} busy.");

        foreach (var server in Enum.GetValues<Server>())
        {
            await Measure("warm-up", server, WarmUp, 0);
        }

        var measuring = meter.Sample();
        var measuringClock = Stopwatch.StartNew();
        Console.WriteLine();
        Console.WriteLine($"Append-to-receipt latency, each append reaching {settings.SubscribersPerSession} subscribers ({settings.Rate * settings.SubscribersPerSession} receipts/s):");
        Console.WriteLine(FanOutRound.Legend);
        Console.WriteLine(FanOutRound.Header);
        var rounds = Enum.GetValues<Server>().ToDictionary(server => server, _ => new List<FanOutRound>());
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var server in Enum.GetValues<Server>())
            {
                var measured = (await Measure($"round {round} {Labels[server]}", server, settings.Duration, 0)).Round;
                Console.WriteLine(measured.Describe());
                rounds[server].Add(measured);
            }
        }

        Console.WriteLine("Medians over rounds:");
        Console.WriteLine(FanOutRound.DescribeMedians("baseline (plain broadcast)", rounds[Server.Baseline]));
        Console.WriteLine(FanOutRound.DescribeMedians("durable baseline (INSERT+broadcast)", rounds[Server.DurableBaseline]));
        Console.WriteLine(FanOutRound.DescribeMedians("sessions (gateway + grain + PG)", rounds[Server.Sessions]));
        double Median(Server server, Func<FanOutRound, double> figure) => ClusterBenchmark.Middle(rounds[server].Select(figure));
        var p99 = Median(Server.Sessions, r => r.P99);
        foreach (var baselineKind in new[] { Server.Baseline, Server.DurableBaseline })
        {
            Console.WriteLine($"ratio sessions / {Labels[baselineKind]}: p50 {Median(Server.Sessions, r => r.P50) / Median(baselineKind, r => r.P50):0.0}x, "
                + $"p99 {p99 / Median(baselineKind, r => r.P99):0.0}x");
        }

        Console.WriteLine($"sessions p99 {p99:0.0} ms: target < 50 ms {(p99 < 50 ? "met" : "MISSED")}; durable baseline p99 {Median(Server.DurableBaseline, r => r.P99):0.0} ms.");

        if (settings.StalledConnections > 0)
        {
            Console.WriteLine();
            await SlowConsumersAsync(settings, gateway, gatewayEndPoint, hotSessions, MeasureHot);
        }

        Console.WriteLine();
        Console.WriteLine($"baseline subscribers: {await baselineSubscribers.CheckAsync()}.");
        Console.WriteLine($"gateway subscribers: {await gatewaySubscribers.CheckAsync()}.");
        var used = meter.Sample().Since(measuring);
        var capacity = Environment.ProcessorCount * measuringClock.Elapsed.TotalSeconds;
        var others = Math.Max(0, (used.MachineBusy - used.MachineSoftIrq) * capacity - used.Of(_ => true)) / capacity;
        Console.WriteLine($"Programs other than the two servers, PostgreSQL and this benchmark used {others:0%} of the machine's CPU while it measured"
            + (others > 0.1 ? ": the figures are disturbed, run again on a quiet machine." : "."));
    }

    private static async Task WaitForGaugeAsync(SiloProcess gateway, string gauge, long atLeast, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        long value;
        while ((value = await gateway.ReadGaugeAsync(gauge)) < atLeast)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{gauge} did not reach {atLeast} within {timeout}: it is {value}.");
            }

            await Task.Delay(50);
        }
    }

    private static async Task SlowConsumersAsync(
        RealtimeSettings settings,
        SiloProcess gateway,
        IPEndPoint gatewayEndPoint,
        string[] sessionIds,
        Func<string, Task<(FanOutRound Round, ReceiptRound Receipts)>> measure)
    {
        var topicsEach = Math.Min(settings.StalledTopics, sessionIds.Length);
        var stalledSubscriptions = settings.StalledConnections * topicsEach;
        Console.WriteLine($"Slow consumers: {settings.Rate} appends/s of {settings.SlowPayloadBytes} B text to {sessionIds.Length} of the sessions ({settings.SubscribersPerSession} live subscribers each), "
            + $"without and with {settings.StalledConnections} connections that subscribe to {topicsEach} of them each ({stalledSubscriptions / (double)sessionIds.Length:0.#} per session) "
            + $"and then never read (4 KiB receive buffer); gateway OutgoingQueueLength {settings.QueueLength}:");
        Console.WriteLine(FanOutRound.Header);
        var without = new List<FanOutRound>();
        var with = new List<FanOutRound>();
        var whileConnected = new List<double[]>();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var plain = (await measure($"round {round} without stalled")).Round;
            Console.WriteLine(plain.Describe());
            without.Add(plain);

            var subscribedBefore = await gateway.ReadGaugeAsync("sessions_realtime_subscriptions");
            await using var stalled = await StalledConsumers.ConnectAsync(gatewayEndPoint, [.. sessionIds.Select(s => "session:" + s)], settings.StalledConnections, topicsEach);
            // A client that never reads cannot see its confirmations: the gateway's gauge says when they are all in place.
            await WaitForGaugeAsync(gateway, "sessions_realtime_subscriptions", subscribedBefore + stalledSubscriptions, TimeSpan.FromSeconds(60));
            var closedBefore = CountLines(gateway, SlowConsumerLog);
            var start = Stopwatch.GetTimestamp();
            stalled.StartProbing();
            var (stalledRound, receipts) = await measure($"round {round} with stalled");
            var (dropped, afterSeconds, lastDrop) = await stalled.StopProbingAsync(start);
            Console.WriteLine(stalledRound.Describe());
            with.Add(stalledRound);
            // The receipts of messages sent while some stalled connection was still open (all of them if one never went).
            var window = receipts.SortedLatenciesMs(dropped == stalled.Connections ? lastDrop : null);
            whileConnected.Add(window);
            var closedByServer = CountLines(gateway, SlowConsumerLog) - closedBefore;
            Console.WriteLine($"    the gateway closed {closedByServer} of {stalled.Connections} stalled connections as slow-consumer; the client saw {dropped} dropped, "
                + (dropped > 0 ? $"{afterSeconds[0]:0.0}-{afterSeconds[^1]:0.0} s into the round (probe every 0.2 s); " : "")
                + $"while any was open ({(dropped == stalled.Connections ? Stopwatch.GetElapsedTime(start, lastDrop).TotalSeconds : stalledRound.WallSeconds):0.0} s): "
                + $"{window.Length} receipts, p50 {Percentiles.Of(window, 0.5):0.00} ms, p99 {Percentiles.Of(window, 0.99):0.00} ms, max {(window.Length > 0 ? window[^1] : double.NaN):0.0} ms");
        }

        Console.WriteLine("Medians over rounds:");
        Console.WriteLine(FanOutRound.DescribeMedians("without stalled", without));
        Console.WriteLine(FanOutRound.DescribeMedians("with stalled", with));
        Console.WriteLine($"p99 with / without stalled: {ClusterBenchmark.Middle(with.Select(r => r.P99)) / ClusterBenchmark.Middle(without.Select(r => r.P99)):0.00}x over whole rounds, "
            + $"{ClusterBenchmark.Middle(whileConnected.Select(w => Percentiles.Of(w, 0.99))) / ClusterBenchmark.Middle(without.Select(r => r.P99)):0.00}x while the stalled ones were open.");
    }

    /// <summary>The three kinds of round, in the order each round runs them.</summary>
    private enum Server
    {
        Baseline,
        DurableBaseline,
        Sessions,
    }

    private static readonly Dictionary<Server, string> Labels = new()
    {
        [Server.Baseline] = "baseline",
        [Server.DurableBaseline] = "durable baseline",
        [Server.Sessions] = "sessions",
    };

    private static HttpClient NewHttpClient(Uri address) =>
        new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) }
            .Authorize();

    private static int CountLines(SiloProcess process, string text) =>
        process.Output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    private static int OpenFiles(int pid)
    {
        try
        {
            return Directory.GetFiles($"/proc/{pid}/fd").Length;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return -1;
        }
    }
}
