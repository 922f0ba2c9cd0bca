using System.Diagnostics;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Failover;

/// <summary>A rolling restart (each silo in turn: SIGTERM, exit, start on the same ports, ready) is invisible to clients.</summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Restarting_every_silo_in_turn_under_load_fails_no_client_call_and_loses_nothing()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await using var balancer = new ReadinessBalancer(cluster.Silos.Select(s => s.BaseAddress));
        await balancer.WaitForReadyAsync(3, TimeSpan.FromSeconds(10));
        var clientLogs = new RecordingLoggerProvider("client");
        await using var client = await SessionsClusterClient.ConnectAsync(
            new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId }, clientLogs.AddTo);
        var sessions = await balancer.CreateSessionsAsync(24);

        var load = new AppendLoad(sessions);
        IAppendTarget viaClient = new ClusterClientTarget(client);
        IAppendTarget viaBalancer = new BalancerTarget(balancer);
        for (var i = 0; i < 4; i++)
        {
            load.StartLoop($"client{i}", [viaClient]);
            load.StartLoop($"balancer{i}", [viaBalancer]);
        }

        await load.WaitForMoreAcksAsync(500, TimeSpan.FromSeconds(30), () => cluster.DescribeLogs());
        foreach (var silo in cluster.Silos)
        {
            var clock = Stopwatch.StartNew();
            var at = load.Now;
            var exitCode = await silo.StopGracefullyAsync(TimeSpan.FromSeconds(45));
            var stopped = clock.Elapsed;
            ClusterAssert.True(cluster, exitCode == 0, $"{silo.Name} exited with {exitCode} after SIGTERM.");
            silo.Start();
            await silo.WaitReadyAsync(LocalCluster.StartTimeout);
            output.WriteLine($"{silo.Name}: SIGTERM at {at:0.00} s, exited after {stopped.TotalMilliseconds:0} ms, ready again after {clock.ElapsedMilliseconds} ms; {load.AckCount} acks, {load.Failures.Count} failures so far");

            // The load goes on through the restarted cluster before the next silo goes.
            await load.WaitForMoreAcksAsync(300, TimeSpan.FromSeconds(30), () => cluster.DescribeLogs());
        }

        await cluster.WaitForConvergenceAsync(3, TimeSpan.FromSeconds(30));
        await load.WaitForMoreAcksAsync(500, TimeSpan.FromSeconds(30), () => cluster.DescribeLogs());
        await load.StopAsync();

        var byClient = load.Acks.Count(a => a.Via == viaClient.Name);
        output.WriteLine($"load: {load.AckCount} acknowledged ({byClient} through the cluster client, {load.AckCount - byClient} through the balancer), {load.Failures.Count} failed; the balancer re-sent {balancer.ConnectFailuresRetried} requests whose connect was refused");
        output.WriteLine(load.DescribeFailures());
        var audit = await MessageLogAudit.CheckAsync(cluster.ConnectionString, sessions, load.Acks);
        output.WriteLine(audit.ToString());

        ClusterAssert.True(cluster, load.Failures.Count == 0, $"{load.Failures.Count} client calls failed during the rolling restart:\n{load.DescribeFailures()}\n---- the cluster client's log ----\n{clientLogs.Text}");
        ClusterAssert.True(cluster, audit.Problems.Count == 0, audit.ToString());
        var duplicates = await Activations.DuplicatesAfterAsync(client, sessions, TimeSpan.FromSeconds(5));
        ClusterAssert.True(cluster, duplicates is null, $"Each session should have exactly one activation: {duplicates}");
    }
}
