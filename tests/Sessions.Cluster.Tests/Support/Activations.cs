using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests;

/// <summary>Where the cluster keeps its sessions' activations, as Orleans' management grain reports it.</summary>
public static class Activations
{
    /// <summary>The silo holding <paramref name="sessionId"/>'s activation; null when it has none.</summary>
    public static async Task<SiloAddress?> HostOfAsync(this SessionsClusterClient client, string sessionId) =>
        await client.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(client.GetGrain<IChatSessionGrain>(sessionId));

    /// <summary>The sessions each silo process holds now (sessions without an activation are left out).</summary>
    public static async Task<Dictionary<SiloProcess, List<TestSession>>> HostsAsync(this SessionsClusterClient client, LocalCluster cluster, IEnumerable<TestSession> sessions)
    {
        var hosts = new Dictionary<SiloProcess, List<TestSession>>();
        foreach (var session in sessions)
        {
            if (await client.HostOfAsync(session.Id) is { } address)
            {
                var process = cluster.ProcessOf(address);
                hosts[process] = hosts.TryGetValue(process, out var held) ? [.. held, session] : [session];
            }
        }

        return hosts;
    }

    /// <summary>The process listening on <paramref name="address"/>'s silo port.</summary>
    public static SiloProcess ProcessOf(this LocalCluster cluster, SiloAddress address) =>
        cluster.Silos.Single(s => s.SiloPort == address.Endpoint.Port);

    /// <summary>
    /// Waits until every one of <paramref name="sessions"/> has exactly one activation in the whole cluster (the
    /// sessions must have been called since the last membership change); returns null then, or a description of the
    /// last mismatch after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<string?> DuplicatesAfterAsync(SessionsClusterClient client, IReadOnlyList<TestSession> sessions, TimeSpan timeout)
    {
        var management = client.Client.GetGrain<IManagementGrain>(0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var counts = await Task.WhenAll(sessions.Select(async s =>
                (s.Id, Count: await management.GetGrainActivationCount((GrainReference)client.GetGrain<IChatSessionGrain>(s.Id)))));
            var wrong = counts.Where(c => c.Count != 1).ToList();
            if (wrong.Count == 0)
            {
                return null;
            }

            if (clock.Elapsed > timeout)
            {
                return "sessions without exactly one activation: " + string.Join(", ", wrong.Select(w => $"{w.Id}={w.Count}"));
            }

            await Task.Delay(100);
        }
    }
}
