using System.Collections.Immutable;

namespace Sessions.Actors;

/// <summary>What this process believes the cluster is: the silos that own grains (Active ones), at a table version.</summary>
public sealed record ClusterView(long Version, ImmutableArray<SiloAddress> ActiveSilos, ImmutableArray<MembershipEntry> Entries)
{
    public static readonly ClusterView Empty = new(-1, [], []);

    public static ClusterView From(MembershipSnapshot snapshot) => new(
        snapshot.Version,
        [.. snapshot.Entries.Where(e => e.Status == SiloStatus.Active).Select(e => e.Address).OrderBy(a => a.ToString(), StringComparer.Ordinal)],
        [.. snapshot.Entries]);

    public SiloStatus? StatusOf(SiloAddress silo) => Entries.FirstOrDefault(e => e.Address == silo)?.Status;
}
