using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Failover;

/// <summary>kill -9 of a silo under load: nothing acknowledged is lost, and its sessions move to the survivors quickly.</summary>
public sealed class SiloCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Killing_a_silo_under_load_loses_no_acknowledged_message_and_its_sessions_are_served_again_within_ten_seconds()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var sessions = await cluster.CreateSessionsAsync(24);
        await using var client = await SessionsClusterClient.ConnectAsync(new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId });

        // The victim: the silo that holds the most sessions.
        var (victim, victimHeld) = (await client.HostsAsync(cluster, sessions)).MaxBy(h => h.Value.Count);
        var survivors = cluster.Silos.Where(s => s != victim).Select(s => new SiloHttpTarget(s)).ToList();
        var victimRow = (await cluster.ReadRowAsync(victim))!;

        // Six clients, each going round the three silos' HTTP ports; a failed append is sent again (same
        // client_message_id) through the next port, as a client that retries idempotently would.
        var load = new AppendLoad(sessions);
        IAppendTarget[] ports = [.. cluster.Silos.Select(s => new SiloHttpTarget(s))];
        for (var i = 0; i < 6; i++)
        {
            load.StartLoop($"c{i}", [.. ports.Skip(i % 3), .. ports.Take(i % 3)], retryElsewhere: true);
        }

        await load.WaitForMoreAcksAsync(500, TimeSpan.FromSeconds(30), () => cluster.DescribeLogs());
        var activationsBefore = await victim.ReadGaugeAsync("sessions_activations");

        var killedAt = load.Now;
        var sinceKill = Stopwatch.StartNew();
        victim.Kill();
        var killReturned = sinceKill.Elapsed;

        // Dead in the table: the membership protocol's verdict (probes missed, votes cast).
        var markedDead = Task.Run(async () =>
        {
            await cluster.WaitForStatusAsync(victimRow.Address, SiloStatus.Dead, TimeSpan.FromSeconds(60));
            return sinceKill.Elapsed;
        });

        // Each session the victim owned, appended to through the survivors until one append is acknowledged.
        var servedAgain = new ConcurrentDictionary<string, TimeSpan>();
        var probeAcks = new ConcurrentQueue<Ack>();
        var probeFailures = new ConcurrentQueue<string>();
        await Task.WhenAll(victimHeld.Select((session, index) => Task.Run(async () =>
        {
            var clientMessageId = $"probe-{index}";
            for (var attempt = 0; sinceKill.Elapsed < TimeSpan.FromSeconds(60); attempt++)
            {
                var via = survivors[(index + attempt) % survivors.Count];
                try
                {
                    probeAcks.Enqueue(await via.AppendAsync(session, clientMessageId));
                    servedAgain[session.Id] = sinceKill.Elapsed;
                    return;
                }
                catch (AppendFailedException e)
                {
                    probeFailures.Enqueue($"{sinceKill.Elapsed.TotalSeconds:0.000} s {via.Name} {session.Id}: {e.Message}");
                    await Task.Delay(20);
                }
            }
        })));

        var deadAfter = await markedDead;
        await load.WaitForMoreAcksAsync(500, TimeSpan.FromSeconds(30), () => cluster.DescribeLogs());
        await load.StopAsync();
        await cluster.WaitForConvergenceAsync(2, TimeSpan.FromSeconds(30));
        var duplicates = await Activations.DuplicatesAfterAsync(client, sessions, TimeSpan.FromSeconds(5));

        var recovery = servedAgain.Values.DefaultIfEmpty(TimeSpan.MaxValue).Max();
        var failures = load.Failures;
        var toVictim = failures.Where(f => f.Via == victim.Name).ToList();
        var throughSurvivors = failures.Where(f => f.Via != victim.Name).ToList();
        output.WriteLine($"killed {victim} (pid gone {killReturned.TotalMilliseconds:0} ms after SIGKILL) at {killedAt:0.00} s into the load; it held {activationsBefore} activations, {victimHeld.Count} of the {sessions.Count} sessions");
        output.WriteLine($"RECOVERY: every session the killed silo held was served again by a survivor {recovery.TotalMilliseconds:0} ms after the kill "
            + $"(per session, ms: {string.Join(", ", servedAgain.Values.Select(v => v.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)).Order())})");
        output.WriteLine($"MARKED DEAD: the membership table shows {victimRow.Address} Dead {deadAfter.TotalMilliseconds:0} ms after the kill");
        output.WriteLine($"probe failures: {probeFailures.Count}{string.Concat(probeFailures.Take(10).Select(f => "\n  " + f))}");
        output.WriteLine($"load: {load.AckCount} acknowledged; {toVictim.Count} requests to the killed silo's own port failed; {throughSurvivors.Count} failures through survivors (all retried with the same client_message_id)");
        output.WriteLine(load.DescribeFailures());

        var audit = await MessageLogAudit.CheckAsync(cluster.ConnectionString, sessions, [.. load.Acks, .. probeAcks]);
        output.WriteLine(audit.ToString());
        ClusterAssert.True(cluster, audit.Problems.Count == 0, audit.ToString());
        ClusterAssert.True(cluster, servedAgain.Count == victimHeld.Count, $"Only {servedAgain.Count} of the {victimHeld.Count} sessions the killed silo held were served again within 60 s:\n{string.Join("\n", probeFailures.TakeLast(20))}");
        ClusterAssert.True(cluster, recovery <= RecoveryLimit, $"The killed silo's sessions were served again only after {recovery.TotalSeconds:0.0} s (limit {RecoveryLimit.TotalSeconds} s).");
        ClusterAssert.True(cluster, duplicates is null, $"Each session should have exactly one activation: {duplicates}");
    }
}
