using System.Text.RegularExpressions;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Placement;

/// <summary>
/// Silos whose views of the membership disagree may both activate a session (by design: the database decides
/// every append). Clients must not pay for that with errors.
/// </summary>
public sealed partial class StaleViewTests(ITestOutputHelper output)
{
    /// <summary>How long the stale silo goes without rereading the membership table: longer than the whole test.</summary>
    private const string StaleProbeInterval = "00:01:00";

    [Fact]
    public async Task Appends_do_not_fail_while_a_silo_with_a_stale_view_and_the_new_owner_both_serve_a_session()
    {
        // silo-3 joins last (so it starts with the full view) and then rereads the table only once a minute: the
        // stand-in for a silo whose membership reads stall, the longest form of the window every view change opens.
        await using var cluster = await LocalCluster.StartAsync(2);
        var stale = cluster.AddSilo(new Dictionary<string, string?> { ["Sessions__Cluster__ProbeInterval"] = StaleProbeInterval });
        await stale.WaitReadyAsync(LocalCluster.StartTimeout);
        await cluster.WaitForConvergenceAsync(3, TimeSpan.FromSeconds(30));
        var sessions = await cluster.Silos[0].Http.CreateSessionsAsync(96);
        var before = await cluster.ActiveSilosAsync();

        var newcomer = cluster.AddSilo();
        await newcomer.WaitReadyAsync(LocalCluster.StartTimeout);
        var after = await cluster.ActiveSilosAsync();
        var clientLogs = new RecordingLoggerFactory("client");
        await using var client = await SessionsClusterClient.ConnectAsync(new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId, LoggerFactory = clientLogs });
        ClusterAssert.True(cluster, await stale.ReadGaugeAsync("sessions_cluster_active_silos") == 3, "Precondition: the stale silo should not have seen the newcomer yet.");

        // Sessions the stale silo still believes it owns, which everyone else sends to the newcomer: two, written hard.
        var contested = sessions
            .Where(s => cluster.ProcessOf(Ownership.OwnerOf(s.Id, before)) == stale && cluster.ProcessOf(Ownership.OwnerOf(s.Id, after)) == newcomer)
            .Take(2)
            .ToList();
        Assert.NotEmpty(contested);

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
        var staleStill = await stale.ReadGaugeAsync("sessions_cluster_active_silos") == 3;

        var lostRaces = cluster.Silos.Sum(s => LostRace().Count(s.Output));
        var quarantinedServing = cluster.Silos.Sum(s => NotServing().Count(s.Output)) + NotServing().Count(clientLogs.Text);
        output.WriteLine($"{contested.Count} sessions are owned by {stale.Name} in its stale view and by {newcomer.Name} in everyone else's; the stale view lasted the whole load: {staleStill}");
        output.WriteLine($"load: {load.AckCount} acknowledged, {load.Failures.Count} failed");
        output.WriteLine(load.DescribeFailures());
        output.WriteLine($"appends that lost a race with another activation of the same session: {lostRaces}");
        output.WriteLine($"silos left out of placement as \"not serving\" although every silo was running: {quarantinedServing}");
        foreach (var line in cluster.Silos.SelectMany(s => s.Output.Split('\n')).Concat(clientLogs.Text.Split('\n')).Where(l => NotServing().IsMatch(l)).Take(6))
        {
            output.WriteLine("  " + line);
        }

        var audit = await MessageLogAudit.CheckAsync(cluster.ConnectionString, contested, load.Acks);
        output.WriteLine(audit.ToString());

        ClusterAssert.True(cluster, audit.Problems.Count == 0, audit.ToString());
        ClusterAssert.True(cluster, load.Failures.Count == 0,
            $"{load.Failures.Count} appends failed while two activations served the same sessions ({lostRaces} lost races, {quarantinedServing} healthy silos quarantined):\n{load.DescribeFailures()}\n---- the cluster client's log ----\n{clientLogs.Text}");
    }

    [GeneratedRegex("another activation extended the log")]
    private static partial Regex LostRace();

    [GeneratedRegex("left out of placement for a while: it is not serving")]
    private static partial Regex NotServing();
}
