using System.Collections.Concurrent;
using System.Net;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Testing;
using Sessions.Testing.Cluster;
using Sessions.Testing.Webhooks;

namespace Sessions.Cluster.Tests.Agents;

/// <summary>
/// Agent delivery when a silo dies: 3 silos under an append load, a webhook endpoint that holds every request a
/// moment (so deliveries are in flight), and the silo running the most dispatchers killed with SIGKILL. Every
/// acknowledged message still reaches the endpoint, first deliveries in seq order, and a message sent twice is sent
/// under one webhook-id.
/// </summary>
public sealed class DispatchAcrossSilosTests(ITestOutputHelper output)
{
    private const int SessionCount = 18;

    [Fact]
    public async Task Every_message_is_delivered_after_the_silo_running_dispatchers_is_killed_and_duplicates_share_their_webhook_id()
    {
        await using var sink = await WebhookSink.StartAsync();
        sink.Behavior = _ => SinkAnswer.Hang(TimeSpan.FromMilliseconds(300));
        await using var cluster = await LocalCluster.StartAsync(3, new Dictionary<string, string?>
        {
            ["Sessions__Webhooks__AllowLoopback"] = "true",
            ["Sessions__Webhooks__DefaultTimeout"] = "00:00:03",
            ["Sessions__Webhooks__DefaultMaxAttempts"] = "50",
            ["Sessions__Webhooks__DefaultRetryBaseDelay"] = "00:00:00.100",
            ["Sessions__Webhooks__DefaultMaxRetryDelay"] = "00:00:01",
            ["Sessions__Webhooks__DispatchReminderPeriod"] = "00:00:05",
            ["Sessions__Webhooks__DispatchSweepPeriod"] = "00:00:05",
            ["Sessions__Webhooks__DispatchSweepGrace"] = "00:00:02",
        });

        var http = cluster.Silos[0].Http;
        var agent = ChatHttp.Unique("agent");
        using (var registered = await http.SendAsync(ChatHttp.Post("/api/agents", $$"""{"id":"{{agent}}","url":"{{sink.UrlOf(agent)}}"}""")))
        {
            await ChatHttp.ExpectAsync(registered, HttpStatusCode.Created);
        }

        var alice = ChatHttp.Unique("alice");
        var bob = ChatHttp.Unique("bob");
        foreach (var id in new[] { alice, bob })
        {
            using var created = await http.SendAsync(ChatHttp.Post("/api/participants", $$"""{"id":"{{id}}","kind":"human"}"""));
            await ChatHttp.ExpectAsync(created, HttpStatusCode.Created);
        }

        var sessions = new List<string>();
        for (var i = 0; i < SessionCount; i++)
        {
            using var created = await cluster.Silos[i % 3].Http.SendAsync(ChatHttp.Post("/api/sessions", $$"""{"initiator_id":"{{alice}}","peer_id":"{{bob}}","agent_id":"{{agent}}"}"""));
            sessions.Add((await ChatHttp.ExpectAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }

        // Writers append through the silos in turn; an append that fails is sent again (same client_message_id) elsewhere.
        var acked = new ConcurrentDictionary<(string Session, long Seq), byte>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(() => WriteAsync(cluster, sessions, w % 2 == 0 ? alice : bob, w, acked, stop.Token))).ToArray();
        await Eventually.TrueAsync(() => sink.Received.Count >= 30, "30 webhook requests before the kill", TimeSpan.FromSeconds(60));

        await using var client = await SessionsClusterClient.ConnectAsync(new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId });
        var management = client.Client.GetGrain<IManagementGrain>(0);
        var dispatchers = new Dictionary<SiloProcess, int>();
        foreach (var session in sessions)
        {
            if (await management.GetActivationAddress(client.Client.GetGrain<IAgentDispatcherGrain>(session)) is { } address)
            {
                var process = cluster.ProcessOf(address);
                dispatchers[process] = dispatchers.GetValueOrDefault(process) + 1;
            }
        }

        var (victim, held) = dispatchers.MaxBy(d => d.Value);
        var receivedBeforeKill = sink.Received.Count;
        victim.Kill();
        output.WriteLine($"killed {victim.Name}, which ran {held} of the {sessions.Count} dispatchers, after {receivedBeforeKill} webhook requests");

        // The load goes on through the survivors for a while.
        var ackedAtKill = acked.Count;
        await Eventually.TrueAsync(() => acked.Count >= ackedAtKill + 60, "60 more appends acknowledged after the kill", TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        // Every acknowledged message arrives at the endpoint (by a survivor's dispatcher: reminder, sweep or a new notice).
        await Eventually.TrueAsync(
            () => acked.Keys.All(k => sink.Received.Any(r => r.SessionId == k.Session && r.Seqs.Contains(k.Seq))),
            "every acknowledged message delivered",
            TimeSpan.FromSeconds(90));

        var requests = sink.Received.ToArray();
        var resent = 0;
        foreach (var session in sessions)
        {
            var ofSession = requests.Where(r => r.SessionId == session).ToArray();
            var idsBySeq = ofSession.SelectMany(r => r.Seqs.Select(s => (Seq: s, r.WebhookId))).GroupBy(x => x.Seq).ToArray();
            foreach (var seq in idsBySeq)
            {
                var ids = seq.Select(x => x.WebhookId).Distinct().ToArray();
                Assert.True(ids.Length == 1, $"session {session} seq {seq.Key} went out under {ids.Length} webhook ids: {string.Join(", ", ids)}");
                resent += seq.Count() > 1 ? 1 : 0;
            }

            var firstSeen = ofSession.SelectMany(r => r.Seqs).Distinct().ToArray();
            Assert.Equal(firstSeen.Order(), firstSeen);
        }

        output.WriteLine($"{acked.Count} messages acknowledged, all delivered; {requests.Length} webhook requests; {resent} messages sent more than once, each under one webhook-id.");
    }

    private static async Task WriteAsync(LocalCluster cluster, List<string> sessions, string sender, int writer, ConcurrentDictionary<(string, long), byte> acked, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var session = sessions[(i * 3 + writer) % sessions.Count];
            var clientMessageId = $"w{writer}-{i}";
            for (var attempt = 0; attempt < 30 && !stop.IsCancellationRequested; attempt++)
            {
                var silos = cluster.Running.ToList();
                var silo = silos[(i + attempt) % silos.Count];
                try
                {
                    using var response = await silo.Http.SendAsync(ChatHttp.Post(
                        $"/api/sessions/{session}/messages",
                        $$"""{"sender_id":"{{sender}}","kind":"text","content":{"text":"{{clientMessageId}}"},"client_message_id":"{{clientMessageId}}"}"""));
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        var message = await ChatHttp.ExpectAsync(response, response.StatusCode);
                        acked[(session, message.GetProperty("seq").GetInt64())] = 0;
                        break;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The silo is gone or busy: the next attempt goes elsewhere.
                }

                await Task.Delay(50, CancellationToken.None);
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }
}
