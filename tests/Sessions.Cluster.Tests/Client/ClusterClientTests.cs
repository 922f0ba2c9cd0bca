using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Client;

/// <summary>The cluster client on its own: finds the cluster from the database alone, and rides through a silo crash.</summary>
public sealed class ClusterClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_client_appends_and_reads_through_the_grain_interface_and_keeps_working_after_the_hosting_silo_is_killed()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var session = (await cluster.Silos[0].Http.CreateSessionsAsync(1))[0];

        // Only what a service outside the cluster knows: the database and the cluster's id.
        var logs = new RecordingLoggerProvider("client");
        await using var client = await SessionsClusterClient.ConnectAsync(
            new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId }, logs.AddTo);
        var hosts = await client.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(3, hosts.Count);
        var grain = client.GetGrain<IChatSessionGrain>(session.Id);

        for (var i = 1; i <= 3; i++)
        {
            var appended = await grain.AppendAsync(Message(session, $"before-{i}"));
            Assert.True(appended.Created);
            Assert.Equal(i, appended.Message.Seq);
        }

        var replay = await grain.AppendAsync(Message(session, "before-2"));
        Assert.False(replay.Created);
        Assert.Equal(2, replay.Message.Seq);
        var page = await grain.ListMessagesAsync(new MessageQuery(0, null, 50));
        Assert.Equal(["before-1", "before-2", "before-3"], page.Messages.Select(m => m.ClientMessageId));
        Assert.Equal(3, (await grain.GetAsync()).LastSeq);

        // Kill the silo that holds the session's activation.
        var host = cluster.ProcessOf((await client.HostOfAsync(session.Id))!);
        host.Kill();

        var clock = Stopwatch.StartNew();
        AppendResult after;
        try
        {
            after = await grain.AppendAsync(Message(session, "after-1")).WaitAsync(CallDeadline);
        }
        catch (Exception e)
        {
            Assert.Fail($"The first call after {host.Name} was killed failed after {clock.ElapsedMilliseconds} ms: {e}\n---- the client's log ----\n{logs.Text}\n{cluster.DescribeLogs()}");
            throw;
        }

        output.WriteLine($"killed {host} (the session's host); the client's next append was acknowledged {clock.ElapsedMilliseconds} ms later as seq {after.Message.Seq}");
        // Created may be false: when the first attempt committed but its answer was lost with the silo (the client's
        // gateway connection may have been to it), the filter resends it and the grain answers the stored message as
        // a replay. Either way it is stored once, as seq 4.
        Assert.Equal(("after-1", 4L), (after.Message.ClientMessageId, after.Message.Seq));
        Assert.NotEqual(host.SiloPort, (await client.HostOfAsync(session.Id))!.Endpoint.Port);

        for (var i = 2; i <= 3; i++)
        {
            Assert.Equal(3 + i, (await grain.AppendAsync(Message(session, $"after-{i}")).WaitAsync(CallDeadline)).Message.Seq);
        }

        var afterKill = await grain.ListMessagesAsync(new MessageQuery(0, null, 50)).WaitAsync(CallDeadline);
        Assert.Equal(["before-1", "before-2", "before-3", "after-1", "after-2", "after-3"], afterKill.Messages.Select(m => m.ClientMessageId));
        Assert.Equal([1L, 2, 3, 4, 5, 6], afterKill.Messages.Select(m => m.Seq));

        // The survivors' HTTP API sees the same log.
        var survivor = cluster.Silos.First(s => s != host);
        using var response = await survivor.Http.GetAsync(new Uri($"/api/sessions/{session.Id}/messages?after_seq=0", UriKind.Relative));
        var messages = (await ChatHttp.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("messages");
        Assert.Equal([1L, 2, 3, 4, 5, 6], messages.EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
    }

    private static AppendMessageCommand Message(TestSession session, string clientMessageId) =>
        new(session.Initiator, "text", JsonDocument.Parse($$"""{"text":"{{clientMessageId}}"}""").RootElement.Clone(), null, clientMessageId, null);
}
