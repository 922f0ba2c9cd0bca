using System.Diagnostics;
using System.Net;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Placement;

/// <summary>A session is one activation in the whole cluster, whichever silo or client a request comes in through.</summary>
public sealed class SingleActivationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Concurrent_appends_through_every_silo_and_the_client_are_served_by_one_activation_in_one_gapless_order()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var session = (await cluster.Silos[0].Http.CreateSessionsAsync(1))[0];
        await using var client = await SessionsClusterClient.ConnectAsync(new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId });
        IAppendTarget[] targets = [.. cluster.Silos.Select(s => new SiloHttpTarget(s)), new ClusterClientTarget(client)];

        // 96 appends at once, a quarter through each silo's HTTP port and a quarter through the cluster client.
        const int Appends = 96;
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, Appends).Select(async i =>
        {
            var target = targets[i % targets.Length];
            try
            {
                return (Ack: await target.AppendAsync(session, $"m-{i}"), Error: (string?)null);
            }
            catch (AppendFailedException e)
            {
                return (Ack: (Ack?)null, Error: $"{target.Name} m-{i}: {e.Message}");
            }
        }));
        output.WriteLine($"{Appends} concurrent appends through {string.Join(", ", targets.Select(t => t.Name))} in {clock.ElapsedMilliseconds} ms");

        var errors = results.Where(r => r.Error is not null).Select(r => r.Error).ToList();
        ClusterAssert.True(cluster, errors.Count == 0, $"{errors.Count} appends failed:\n{string.Join("\n", errors)}");
        var acks = results.Select(r => r.Ack!).ToList();
        Assert.All(acks, a => Assert.True(a.Created, $"{a.ClientMessageId} was answered as a replay"));
        Assert.Equal(Enumerable.Range(1, Appends).Select(i => (long)i), acks.Select(a => a.Seq).Order());

        var audit = await MessageLogAudit.CheckAsync(cluster.ConnectionString, [session], acks);
        output.WriteLine(audit.ToString());
        Assert.True(audit.Problems.Count == 0, audit.ToString());
        Assert.Equal(Appends, audit.Messages);

        // A replay through another door finds the original: same seq, 200 not 201.
        var replayed = await new SiloHttpTarget(cluster.Silos[2]).AppendAsync(session, "m-0");
        Assert.False(replayed.Created);
        Assert.Equal(acks.Single(a => a.ClientMessageId == "m-0").Seq, replayed.Seq);

        // One activation in the whole cluster served every door.
        var activations = await Task.WhenAll(cluster.Silos.Select(async s => (Silo: s, Count: await s.ReadGaugeAsync("sessions_activations"))));
        output.WriteLine("sessions_activations: " + string.Join(", ", activations.Select(a => $"{a.Silo.Name}={a.Count}")));
        var duplicates = await Activations.DuplicatesAfterAsync(client, [session], TimeSpan.Zero);
        ClusterAssert.True(cluster, duplicates is null, duplicates ?? "");
        var host = cluster.ProcessOf((await client.HostOfAsync(session.Id))!);
        ClusterAssert.True(cluster, activations.Single(a => a.Silo == host).Count >= 1, $"{host.Name} holds the session but reports no activation.");

        using var page = await cluster.Silos[1].Http.GetAsync(new Uri($"/api/sessions/{session.Id}/messages?after_seq=0&limit=500", UriKind.Relative));
        var messages = (await ChatHttp.ExpectAsync(page, HttpStatusCode.OK)).GetProperty("messages");
        Assert.Equal(Enumerable.Range(1, Appends).Select(i => (long)i), messages.EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
    }
}
