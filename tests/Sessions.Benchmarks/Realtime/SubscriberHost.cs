using System.Globalization;
using System.Net;

namespace Sessions.Benchmarks.Realtime;

/// <summary>
/// The reading subscribers of one server, in a process of their own (this assembly in its <see cref="Mode"/>): with
/// 10,000 connections per server, the client sockets of both servers do not fit one process under a 20,000 open-file
/// limit that cannot be raised without CAP_SYS_RESOURCE. It connects and subscribes them all (<see cref="SubscriberPool"/>),
/// then takes commands on stdin, one per line, and answers each with one line on stdout:
/// <c>start {round} {capacity}</c> → <c>ok</c> (receipts of that round are recorded from now on);
/// <c>count</c> → <c>count {n}</c>; <c>stop {file}</c> → <c>stopped {n}</c> (the round's receipts written to the file);
/// <c>check</c> → <c>check {received} {gaps} {repeats} {ended} {first end}</c>. It exits when stdin closes.
/// Receipt times are <see cref="System.Diagnostics.Stopwatch"/> ticks, CLOCK_MONOTONIC on Linux: the same clock as the
/// appender's in the parent process.
/// </summary>
internal static class SubscriberHost
{
    public const string Mode = "realtime-subscribers";

    public static async Task RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        var server = IPEndPoint.Parse(options["--server"]);
        var topics = await File.ReadAllLinesAsync(options["--topics"]);
        var perTopic = int.Parse(options["--per-topic"], CultureInfo.InvariantCulture);
        var concurrency = int.Parse(options["--concurrency"], CultureInfo.InvariantCulture);
        var log = new ReceiptLog();
        SubscriberPool pool;
        try
        {
            pool = await SubscriberPool.ConnectAsync(server, topics, perTopic, concurrency, log);
        }
        catch (InvalidOperationException exception)
        {
            Console.WriteLine($"failed {exception.Message.ReplaceLineEndings(" ")}");
            return;
        }

        await using (pool)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready {pool.Subscribers.Length} {pool.Took.TotalSeconds:0.0}"));
            while (await Console.In.ReadLineAsync() is { } command)
            {
                var parts = command.Split(' ', 2);
                Console.WriteLine(parts[0] switch
                {
                    "start" => Start(log, parts[1]),
                    "count" => $"count {log.Current?.Count ?? 0}",
                    "stop" => Stop(log, parts[1]),
                    "check" => Check(pool),
                    _ => $"unknown {command}",
                });
            }
        }
    }

    private static string Start(ReceiptLog log, string arguments)
    {
        var values = arguments.Split(' ');
        log.Current = new ReceiptRound(int.Parse(values[0], CultureInfo.InvariantCulture), int.Parse(values[1], CultureInfo.InvariantCulture));
        return "ok";
    }

    private static string Stop(ReceiptLog log, string file)
    {
        var round = log.Current ?? new ReceiptRound(0, 0);
        log.Current = null;
        round.WriteTo(file);
        return $"stopped {round.Count}";
    }

    private static string Check(SubscriberPool pool)
    {
        var (received, gaps, repeats, ended, firstEnd) = pool.Check();
        return $"check {received} {gaps} {repeats} {ended} {firstEnd?.ReplaceLineEndings(" ")}";
    }
}
