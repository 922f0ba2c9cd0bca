using Sessions.Abstractions;
using Sessions.Actors;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests;

/// <summary>Which silo owns a session, computed the way every silo and client does: rendezvous hashing over the Active silos.</summary>
public static class Ownership
{
    public static SiloAddress OwnerOf(string sessionId, IReadOnlyList<SiloAddress> activeSilos) =>
        RendezvousPlacement.Owner(new GrainId(typeof(IChatSessionGrain).FullName!, sessionId), activeSilos)
        ?? throw new InvalidOperationException("No Active silo.");

    /// <summary>The Active silos of the membership table now.</summary>
    public static async Task<IReadOnlyList<SiloAddress>> ActiveSilosAsync(this LocalCluster cluster) =>
        (await cluster.ReadMembershipAsync()).Where(r => r.Status == SiloStatus.Active).Select(r => r.Address).ToList();

    /// <summary>The process listening on <paramref name="address"/>'s silo port.</summary>
    public static SiloProcess ProcessOf(this LocalCluster cluster, SiloAddress address) =>
        cluster.Silos.Single(s => s.SiloPort == address.Port);
}
