using System.Collections.Concurrent;
using Npgsql;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Realtime;

/// <summary>
/// Subscribers that disconnect and resume at random points, on random silos, over WebSocket and SSE, while writers on
/// other silos append: each ends with every message exactly once, in seq order — also when the silo that holds the
/// sessions is killed with SIGKILL mid-run.
/// </summary>
public sealed class ResumeAcrossSilosTests(ITestOutputHelper output)
{
    private const int SessionCount = 4;
    private const int SubscribersPerSession = 4;
    private const int MessagesPerSession = 150;

    private static readonly Dictionary<string, string?> Environment = new()
    {
        // A short renewal, so that a lost event shows up as a gap quickly (a silo loss also triggers one at once).
        ["Sessions__Realtime__ResubscribePeriod"] = "00:00:02",
    };

    [Fact]
    public async Task Resuming_subscribers_on_other_silos_than_the_writers_get_every_message_exactly_once_in_order()
    {
        await using var cluster = await LocalCluster.StartAsync(3, Environment);
        await RunAsync(cluster, kill: false);
    }

    [Fact]
    public async Task Resuming_subscribers_get_every_message_exactly_once_in_order_when_the_sessions_silo_is_killed_mid_run()
    {
        await using var cluster = await LocalCluster.StartAsync(3, Environment);
        await RunAsync(cluster, kill: true);
    }

    private async Task RunAsync(LocalCluster cluster, bool kill)
    {
        var sessions = await cluster.CreateSessionsAsync(SessionCount);
        var subscribers = sessions
            .SelectMany((session, s) => Enumerable.Range(0, SubscribersPerSession)
                .Select(i => new ResumingSubscriber($"{(i % 2 == 0 ? "ws" : "sse")}-{s}-{i}", session, useSse: i % 2 == 1, cluster, seed: (s * 31) + i)))
            .ToList();
        var reading = subscribers.Select(s => Task.Run(() => s.RunAsync(TimeSpan.FromMinutes(3)))).ToList();

        // Writers: one per session, each append through a random silo, resent with the same client_message_id elsewhere
        // when a silo fails under it (an idempotent client).
        var writerFailures = new ConcurrentQueue<string>();
        var acks = new ConcurrentDictionary<string, long>();
        var replies = new ConcurrentDictionary<string, StreamedReplyWriter.Outcome>();
        var killed = new TaskCompletionSource();
        var writing = sessions.Select((session, s) => Task.Run(async () =>
        {
            var random = new Random(1000 + s);
            for (var i = 0; i < MessagesPerSession; i++)
            {
                var clientMessageId = $"w{s}-{i}";
                while (true)
                {
                    var running = cluster.Running.ToList();
                    var via = new SiloHttpTarget(running[random.Next(running.Count)]);
                    try
                    {
                        var ack = await via.AppendAsync(session, clientMessageId);
                        acks[clientMessageId] = ack.Seq;
                        break;
                    }
                    catch (AppendFailedException e)
                    {
                        writerFailures.Enqueue($"{via.Name} {clientMessageId}: {e.Message}");
                        await Task.Delay(20);
                    }
                }

                if (kill && s == 0 && i == MessagesPerSession / 3)
                {
                    killed.TrySetResult();
                }

                // Every so often the peer streams a reply, chunk by chunk, through random silos.
                if (i % 15 == 7 && i < MessagesPerSession - 1)
                {
                    var outcome = await new StreamedReplyWriter(cluster, session, random).RunAsync($"r{s}-{i}", chunks: 5 + random.Next(10));
                    replies[outcome.ReplyId] = outcome;
                    i += outcome.Finished ? 1 : 0;
                }
            }
        })).ToList();

        string killNote = "no silo killed";
        if (kill)
        {
            await killed.Task.WaitAsync(TimeSpan.FromMinutes(2));
            await using var client = await SessionsClusterClient.ConnectAsync(new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId });
            var (victim, held) = (await client.HostsAsync(cluster, sessions)).MaxBy(h => h.Value.Count);
            victim.Kill();
            killNote = $"killed {victim.Name} holding {held.Count} of the {sessions.Count} sessions";
        }

        await Task.WhenAll(writing).WaitAsync(TimeSpan.FromMinutes(3));
        var lastSeqs = await LastSeqsAsync(cluster.ConnectionString, sessions);
        foreach (var subscriber in subscribers)
        {
            subscriber.FinishAt(lastSeqs[subscriber.Session.Id]);
        }

        await Task.WhenAll(reading).WaitAsync(TimeSpan.FromMinutes(4));

        output.WriteLine($"{killNote}; {acks.Count} appends acknowledged, {writerFailures.Count} sent again after a failure");
        foreach (var subscriber in subscribers)
        {
            output.WriteLine($"{subscriber.Name}: {subscriber.Received.Count} messages over {subscriber.Connections} connections ({subscriber.FailedConnects} broken)");
        }

        var problems = subscribers.SelectMany(s => s.Problems).ToList();
        foreach (var subscriber in subscribers)
        {
            var expected = Enumerable.Range(1, (int)lastSeqs[subscriber.Session.Id]).Select(i => (long)i);
            if (!subscriber.Received.SequenceEqual(expected))
            {
                problems.Add($"{subscriber.Name}: received {subscriber.Received.Count} messages, not exactly 1..{lastSeqs[subscriber.Session.Id]}");
            }
        }

        foreach (var subscriber in subscribers)
        {
            foreach (var (replyId, chunks, text) in subscriber.CompletedWhileWatched)
            {
                var written = replies[replyId];
                if (chunks != written.Chunks.Count || text != string.Concat(written.Chunks))
                {
                    problems.Add($"{subscriber.Name}: watched reply {replyId} complete with {chunks} chunks '{text}', written: {written.Chunks.Count} '{string.Concat(written.Chunks)}'");
                }
            }
        }

        var watched = subscribers.Sum(s => s.CompletedWhileWatched.Count);
        output.WriteLine($"{replies.Count} streamed replies ({replies.Values.Count(r => r.Finished)} finished, the rest interrupted); "
            + $"{watched} watched complete on one connection, {subscribers.Sum(s => s.RepliesSeen.Count)} seen in flight");
        Assert.True(watched > 0, "No subscriber watched a whole reply: the test did not test replies.");
        Assert.All(sessions, s => Assert.True(lastSeqs[s.Id] >= MessagesPerSession));
        ClusterAssert.True(cluster, problems.Count == 0, string.Join("\n", problems.Take(30)));
    }

    private static async Task<Dictionary<string, long>> LastSeqsAsync(string connectionString, IReadOnlyList<TestSession> sessions)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select id, last_seq from chat_sessions where id = any($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sessions.Select(s => s.Id).ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }
}
