using System.Diagnostics;
using System.Text.RegularExpressions;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Failover;

/// <summary>
/// A silo joining under load (a scale-out, or the second half of every restart in a rolling update) fails no request
/// and leaves every session with one activation and one gapless log.
/// </summary>
public sealed partial class ScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_joining_under_load_fails_no_request_and_keeps_every_session_single_and_gapless()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var clientLogs = new RecordingLoggerProvider("client");
        await using var client = await SessionsClusterClient.ConnectAsync(
            new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId }, clientLogs.AddTo);

        // Few sessions and many writers, so that every session is written continuously through every way in.
        var sessions = await cluster.CreateSessionsAsync(6);
        var load = new AppendLoad(sessions);
        IAppendTarget[] targets = [.. cluster.Silos.Select(s => new SiloHttpTarget(s)), new ClusterClientTarget(client)];
        for (var i = 0; i < 8; i++)
        {
            load.StartLoop($"w{i}", [targets[i % targets.Length]]);
        }

        await load.WaitForMoreAcksAsync(300, TimeSpan.FromSeconds(30), () => cluster.DescribeLogs());
        var clock = Stopwatch.StartNew();
        var joinedAt = load.Now;
        var newcomer = cluster.AddSilo();
        await newcomer.WaitReadyAsync(LocalCluster.StartTimeout);
        var readyAfter = clock.Elapsed;
        await cluster.WaitForConvergenceAsync(4, TimeSpan.FromSeconds(30));
        await load.WaitForMoreAcksAsync(500, TimeSpan.FromSeconds(30), () => cluster.DescribeLogs());
        await load.StopAsync();

        var lostRaces = cluster.Silos.Sum(s => LostRace().Count(s.Output));
        var newcomerHolds = (await client.HostsAsync(cluster, sessions)).GetValueOrDefault(newcomer)?.Count ?? 0;
        output.WriteLine($"{newcomer} started at {joinedAt:0.00} s into the load, ready after {readyAfter.TotalMilliseconds:0} ms");
        output.WriteLine($"load: {load.AckCount} acknowledged, {load.Failures.Count} failed");
        output.WriteLine(load.DescribeFailures());
        output.WriteLine($"appends that lost a race with another activation of the same session (\"another activation extended the log\"): {lostRaces}; the newcomer holds {newcomerHolds} of {sessions.Count} sessions");
        var audit = await MessageLogAudit.CheckAsync(cluster.ConnectionString, sessions, load.Acks);
        output.WriteLine(audit.ToString());

        ClusterAssert.True(cluster, load.Failures.Count == 0, $"{load.Failures.Count} requests failed while {newcomer.Name} joined:\n{load.DescribeFailures()}\n---- the cluster client's log ----\n{clientLogs.Text}");
        ClusterAssert.True(cluster, audit.Problems.Count == 0, audit.ToString());
        var duplicates = await Activations.DuplicatesAfterAsync(client, sessions, TimeSpan.FromSeconds(5));
        ClusterAssert.True(cluster, duplicates is null, $"Each session should have exactly one activation: {duplicates}");
    }

    [GeneratedRegex("another activation extended the log")]
    private static partial Regex LostRace();
}
