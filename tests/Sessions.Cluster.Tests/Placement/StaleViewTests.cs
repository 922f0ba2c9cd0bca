using System.Text.RegularExpressions;
using Sessions.Client;
using Sessions.Testing;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Placement;

/// <summary>
/// Silos whose views of the membership disagree may both activate a session (by design: the database decides
/// every append). Clients must not pay for that with errors, and the contest must end: the activation that loses a
/// race rereads the membership, and if its silo's view was the stale one, it hands the call to the owner.
/// </summary>
public sealed partial class StaleViewTests(ITestOutputHelper output)
{
    /// <summary>How long the stale silo goes without rereading the membership table: longer than the whole test.</summary>
    private const string StaleProbeInterval = "00:01:00";

    /// <summary>Lost races and handed-over calls are logged at Information; the contested silos show them.</summary>
    private const string RaceLogLevel = "Logging__LogLevel__Sessions";

    [Fact]
    public async Task Appends_do_not_fail_while_a_silo_with_a_stale_view_and_the_new_owner_both_serve_a_session()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        var (stale, newcomer, contestedAll) = await AddStaleSiloAndNewcomerAsync(cluster);
        var clientLogs = new RecordingLoggerFactory("client");
        await using var client = await SessionsClusterClient.ConnectAsync(new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId, LoggerFactory = clientLogs });

        // Two contested sessions, written hard.
        var contested = contestedAll.Take(2).ToList();

        // Half the writers go through the stale silo (which runs the sessions itself), half through the newcomer's own
        // port and the cluster client (which follow the current view).
        var load = new AppendLoad(contested);
        IAppendTarget[] others = [new SiloHttpTarget(newcomer), new SiloHttpTarget(newcomer), new ClusterClientTarget(client)];
        for (var i = 0; i < 6; i++)
        {
            load.StartLoop($"stale{i}", [new SiloHttpTarget(stale)]);
            load.StartLoop($"other{i}", [others[i % others.Length]]);
        }

        await load.WaitForMoreAcksAsync(600, TimeSpan.FromSeconds(30), () => cluster.DescribeLogs());
        await load.StopAsync();
        var staleCaughtUp = await stale.ReadGaugeAsync("sessions_cluster_active_silos") == 4;

        var lostRaces = cluster.Silos.Sum(s => LostRace().Count(s.Output));
        var movedOnStale = Moved().Count(stale.Output);
        var quarantinedServing = cluster.Silos.Sum(s => NotServing().Count(s.Output)) + NotServing().Count(clientLogs.Text);
        output.WriteLine($"{contested.Count} sessions are owned by {stale.Name} in its stale view and by {newcomer.Name} in everyone else's; {stale.Name} saw the newcomer by the end of the load: {staleCaughtUp}");
        output.WriteLine($"calls {stale.Name} sent on to the owner after losing a race and rereading the membership: {movedOnStale}");
        output.WriteLine($"load: {load.AckCount} acknowledged, {load.Failures.Count} failed");
        output.WriteLine(load.DescribeFailures());
        output.WriteLine($"appends that lost a race and were retried where they ran: {lostRaces}");
        output.WriteLine($"silos left out of placement as \"not serving\" although every silo was running: {quarantinedServing}");
        foreach (var line in cluster.Silos.SelectMany(s => s.Output.Split('\n')).Concat(clientLogs.Text.Split('\n')).Where(l => NotServing().IsMatch(l)).Take(6))
        {
            output.WriteLine("  " + line);
        }

        var audit = await MessageLogAudit.CheckAsync(cluster.ConnectionString, contested, load.Acks);
        output.WriteLine(audit.ToString());

        ClusterAssert.True(cluster, audit.Problems.Count == 0, audit.ToString());
        ClusterAssert.True(cluster, movedOnStale == 0 || staleCaughtUp, $"{stale.Name} handed calls over after a lost race, so it must have reread the membership and seen the newcomer.");
        ClusterAssert.True(cluster, load.Failures.Count == 0,
            $"{load.Failures.Count} appends failed while two activations served the same sessions ({lostRaces} lost races, {quarantinedServing} healthy silos quarantined):\n{load.DescribeFailures()}\n---- the cluster client's log ----\n{clientLogs.Text}");
    }

    [Fact]
    public async Task A_silo_that_wrote_a_session_while_its_view_was_stale_brings_the_owners_tail_cache_up_to_date_as_it_hands_over()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        var (stale, newcomer, contested) = await AddStaleSiloAndNewcomerAsync(cluster);
        Assert.True(contested.Count >= 2, $"Only {contested.Count} contested session(s) among the test's sessions.");
        var (written, trigger) = (contested[0], contested[1]);

        // The newcomer activates one session and caches its (empty) tail; the stale silo activates the other.
        Assert.Equal(0, await CountMessagesAsync(newcomer, written));
        Assert.Equal(0, await CountMessagesAsync(stale, trigger));

        // The stale silo runs the first session itself and appends: the newcomer's cache has not seen these.
        var sender = new SiloHttpTarget(stale);
        for (var i = 0; i < 3; i++)
        {
            await sender.AppendAsync(written, ChatHttp.Unique("stale"));
        }

        Assert.Equal(0, await CountMessagesAsync(newcomer, written));
        ClusterAssert.True(cluster, await stale.ReadGaugeAsync("sessions_cluster_active_silos") == 3, "Precondition: the stale silo should still not have seen the newcomer.");

        // A race the stale silo loses on the other session makes it reread the membership and hand over both sessions;
        // handing over the one it wrote tells the newcomer how far that log reaches.
        await new SiloHttpTarget(newcomer).AppendAsync(trigger, ChatHttp.Unique("owner"));
        await sender.AppendAsync(trigger, ChatHttp.Unique("stale"));

        ClusterAssert.True(cluster, await stale.ReadGaugeAsync("sessions_cluster_active_silos") == 4, "The stale silo should have reread the membership after losing a race.");
        await Eventually.TrueAsync(
            async () => await CountMessagesAsync(newcomer, written) == 3,
            "the newcomer serves the three messages the stale silo appended",
            TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Adds a silo that rereads the membership table on its own only once a minute (the stand-in for a silo whose
    /// view lags, the longest form of the window every view change opens), makes sessions, then adds a newcomer the
    /// stale silo does not see. Returns the sessions the stale silo still believes it owns and everyone else sends
    /// to the newcomer.
    /// </summary>
    private static async Task<(SiloProcess Stale, SiloProcess Newcomer, IReadOnlyList<TestSession> Contested)> AddStaleSiloAndNewcomerAsync(LocalCluster cluster)
    {
        // The stale silo joins last, so it starts with the full view.
        var stale = cluster.AddSilo(new Dictionary<string, string?> { ["Sessions__Cluster__ProbeInterval"] = StaleProbeInterval, [RaceLogLevel] = "Information" });
        await stale.WaitReadyAsync(LocalCluster.StartTimeout);
        await cluster.WaitForConvergenceAsync(cluster.Silos.Count, TimeSpan.FromSeconds(30));
        var sessions = await cluster.Silos[0].Http.CreateSessionsAsync(96);
        var before = await cluster.ActiveSilosAsync();

        var newcomer = cluster.AddSilo(new Dictionary<string, string?> { [RaceLogLevel] = "Information" });
        await newcomer.WaitReadyAsync(LocalCluster.StartTimeout);
        var after = await cluster.ActiveSilosAsync();
        ClusterAssert.True(cluster, await stale.ReadGaugeAsync("sessions_cluster_active_silos") == before.Count, "Precondition: the stale silo should not have seen the newcomer yet.");

        var contested = sessions
            .Where(s => cluster.ProcessOf(Ownership.OwnerOf(s.Id, before)) == stale && cluster.ProcessOf(Ownership.OwnerOf(s.Id, after)) == newcomer)
            .ToList();
        Assert.NotEmpty(contested);
        return (stale, newcomer, contested);
    }

    private static async Task<int> CountMessagesAsync(SiloProcess silo, TestSession session)
    {
        using var response = await silo.Http.GetAsync(new Uri($"/api/sessions/{session.Id}/messages?limit=50", UriKind.Relative));
        var page = await ChatHttp.ExpectAsync(response, System.Net.HttpStatusCode.OK);
        return page.GetProperty("messages").GetArrayLength();
    }

    [GeneratedRegex("another activation extended the log")]
    private static partial Regex LostRace();

    [GeneratedRegex("is owned by another silo during")]
    private static partial Regex Moved();

    [GeneratedRegex("left out of placement for a while: it is not serving")]
    private static partial Regex NotServing();
}
