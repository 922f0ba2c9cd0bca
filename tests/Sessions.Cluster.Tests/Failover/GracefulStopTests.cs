using System.Diagnostics;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Failover;

/// <summary>SIGTERM of a silo behind a readiness-checking load balancer: clients never notice.</summary>
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Stopping_a_silo_with_SIGTERM_under_load_through_a_readiness_balancer_fails_no_request_and_leaves_it_Dead()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await using var balancer = new ReadinessBalancer(cluster.Silos.Select(s => s.BaseAddress));
        await balancer.WaitForReadyAsync(3, TimeSpan.FromSeconds(10));
        var sessions = await balancer.CreateSessionsAsync(24);
        await using var client = await SessionsClusterClient.ConnectAsync(new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId });
        var victim = cluster.Silos[1];
        var victimRow = (await cluster.ReadRowAsync(victim))!;
        Assert.Equal(SiloStatus.Active, victimRow.Status);

        var load = new AppendLoad(sessions);
        var target = new BalancerTarget(balancer);
        for (var i = 0; i < 6; i++)
        {
            load.StartLoop($"c{i}", [target]);
        }

        await load.WaitForMoreAcksAsync(500, TimeSpan.FromSeconds(30), () => cluster.DescribeLogs());
        var activationsBefore = await victim.ReadGaugeAsync("sessions_activations");
        var stoppedAt = load.Now;
        var clock = Stopwatch.StartNew();
        var exitCode = await victim.StopGracefullyAsync(TimeSpan.FromSeconds(45));
        var stopTook = clock.Elapsed;
        await load.WaitForMoreAcksAsync(500, TimeSpan.FromSeconds(30), () => cluster.DescribeLogs());
        await load.StopAsync();

        output.WriteLine($"SIGTERM to {victim} at {stoppedAt:0.00} s into the load (it held {activationsBefore} activations); it exited with {exitCode} after {stopTook.TotalMilliseconds:0} ms");
        output.WriteLine($"load: {load.AckCount} acknowledged, {load.Failures.Count} failed; the balancer re-sent {balancer.ConnectFailuresRetried} requests whose connect was refused");
        output.WriteLine(load.DescribeFailures());
        var row = (await cluster.ReadMembershipAsync()).Single(r => r.Address.Equals(victimRow.Address));
        output.WriteLine($"membership table: {row.Address} is {row.Status}");
        var audit = await MessageLogAudit.CheckAsync(cluster.ConnectionString, sessions, load.Acks);
        output.WriteLine(audit.ToString());

        ClusterAssert.True(cluster, load.Failures.Count == 0, $"{load.Failures.Count} requests failed during the graceful stop:\n{load.DescribeFailures()}");
        ClusterAssert.True(cluster, audit.Problems.Count == 0, audit.ToString());
        ClusterAssert.True(cluster, exitCode == 0, $"{victim.Name} exited with {exitCode} after SIGTERM.");
        ClusterAssert.True(cluster, row.Status == SiloStatus.Dead, $"{victim.Name}'s row is {row.Status} after it stopped, not Dead.");
        await cluster.WaitForConvergenceAsync(2, TimeSpan.FromSeconds(15));
        var duplicates = await Activations.DuplicatesAfterAsync(client, sessions, TimeSpan.FromSeconds(5));
        ClusterAssert.True(cluster, duplicates is null, $"Each session should have exactly one activation: {duplicates}");
    }
}
