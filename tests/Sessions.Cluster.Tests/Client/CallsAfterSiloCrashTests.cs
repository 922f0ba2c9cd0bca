using System.Diagnostics;
using System.Text.Json;
using Sessions.Abstractions;
using Sessions.Actors;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Client;

/// <summary>
/// Calls made once a silo is already dead never reached it, so they must be rerouted, not reported as interrupted
/// (an outcome-unknown error that callers can only retry if the call is idempotent).
/// </summary>
public sealed class CallsAfterSiloCrashTests(ITestOutputHelper output)
{
    private const int Clients = 6;

    [Fact]
    public async Task Calls_made_after_the_owning_silo_died_are_rerouted_rather_than_failed_as_interrupted()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var sessions = await cluster.Silos[0].Http.CreateSessionsAsync(24);
        var active = await cluster.ActiveSilosAsync();
        var victim = cluster.Silos[1];
        var owned = sessions.Where(s => cluster.ProcessOf(Ownership.OwnerOf(s.Id, active)) == victim).ToList();
        Assert.NotEmpty(owned);

        // Several services, each with its own client and so its own pooled HTTP/2 connection to the victim, warmed up.
        var clients = new List<SessionsClusterClient>();
        var logs = new RecordingLoggerFactory("client");
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                clients.Add(await SessionsClusterClient.ConnectAsync(new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId, LoggerFactory = logs }));
                await Grain(clients[i], owned[i % owned.Count]).AppendAsync(Message(owned[i % owned.Count], $"warm-{i}"));
            }

            victim.Kill();

            // The process is gone (Kill returns after its exit): nothing sent from here on can run on it.
            var clock = Stopwatch.StartNew();
            var outcomes = await Task.WhenAll(clients.Select(async (client, i) =>
            {
                var session = owned[i % owned.Count];
                try
                {
                    var result = await Grain(client, session).AppendAsync(Message(session, $"after-{i}")).WaitAsync(TimeSpan.FromSeconds(10));
                    return $"client {i}: acknowledged as seq {result.Message.Seq} after {clock.ElapsedMilliseconds} ms";
                }
                catch (Exception e)
                {
                    return $"client {i}: FAILED after {clock.ElapsedMilliseconds} ms: {(e is GrainException g ? g.Code + ": " : "")}{e.Message}";
                }
            }));

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
