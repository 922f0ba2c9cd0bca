using System.Diagnostics;
using System.Text.Json;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Client;

/// <summary>
/// Calls made once a silo is already dead, by clients that were talking to it a moment before, reach a survivor:
/// Orleans reactivates the sessions there, and the clients resend what failed in between (the calls are retry-safe).
/// </summary>
public sealed class CallsAfterSiloCrashTests(ITestOutputHelper output)
{
    private const int Clients = 6;

    [Fact]
    public async Task Calls_made_after_the_hosting_silo_died_are_served_by_a_survivor()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var sessions = await cluster.CreateSessionsAsync(24);

        // Several services, each with its own client, warmed up on sessions that live on one silo: the victim.
        var clients = new List<SessionsClusterClient>();
        var logs = new RecordingLoggerProvider("client");
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                clients.Add(await SessionsClusterClient.ConnectAsync(
                    new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId }, logs.AddTo));
            }

            foreach (var session in sessions)
            {
                await Grain(clients[0], session).GetAsync();
            }

            var (victim, held) = (await clients[0].HostsAsync(cluster, sessions)).MaxBy(h => h.Value.Count);
            for (var i = 0; i < Clients; i++)
            {
                await Grain(clients[i], held[i % held.Count]).AppendAsync(Message(held[i % held.Count], $"warm-{i}"));
            }

            victim.Kill();

            // The process is gone (Kill returns after its exit): nothing sent from here on can run on it.
            var clock = Stopwatch.StartNew();
            var outcomes = await Task.WhenAll(clients.Select(async (client, i) =>
            {
                var session = held[i % held.Count];
                try
                {
                    var result = await Grain(client, session).AppendAsync(Message(session, $"after-{i}")).WaitAsync(TimeSpan.FromSeconds(15));
                    return $"client {i}: acknowledged as seq {result.Message.Seq} after {clock.ElapsedMilliseconds} ms";
                }
                catch (Exception e)
                {
                    return $"client {i}: FAILED after {clock.ElapsedMilliseconds} ms: {e.GetType().Name}: {e.Message}";
                }
            }));

            output.WriteLine($"killed {victim}, which held {held.Count} of {sessions.Count} sessions");
            foreach (var outcome in outcomes)
            {
                output.WriteLine(outcome);
            }

            var failed = outcomes.Where(o => o.Contains("FAILED", StringComparison.Ordinal)).ToList();
            ClusterAssert.True(cluster, failed.Count == 0,
                $"{failed.Count} of {Clients} calls sent after {victim.Name} had exited failed instead of going to a survivor:\n{string.Join("\n", failed)}\n---- the clients' log ----\n{logs.Text}");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static IChatSessionGrain Grain(SessionsClusterClient client, TestSession session) => client.GetGrain<IChatSessionGrain>(session.Id);

    private static AppendMessageCommand Message(TestSession session, string clientMessageId) =>
        new(session.Initiator, "text", JsonDocument.Parse("""{"text":"x"}""").RootElement.Clone(), null, clientMessageId, null);
}
