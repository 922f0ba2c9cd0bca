namespace Sessions.Actors.Tests;

public sealed class RendezvousPlacementTests
{
    private static readonly SiloAddress A = new("10.0.0.1", 11111, 1);
    private static readonly SiloAddress B = new("10.0.0.2", 11111, 1);
    private static readonly SiloAddress C = new("10.0.0.3", 11111, 1);

    private static IEnumerable<GrainId> Grains(int count) => Enumerable.Range(0, count).Select(i => new GrainId("Sessions.Abstractions.IChatSessionGrain", $"session-{i}"));

    [Fact]
    public void Every_process_computes_the_same_owner_whatever_the_order_of_the_silos()
    {
        foreach (var grain in Grains(200))
        {
            Assert.Equal(RendezvousPlacement.Owner(grain, [A, B, C]), RendezvousPlacement.Owner(grain, [C, A, B]));
        }
    }

    [Fact]
    public void The_hash_is_stable_across_processes()
    {
        // Fixed expectations: a change of the hash would move every grain of a running cluster during a rolling upgrade.
        Assert.Equal(C, RendezvousPlacement.Owner(new GrainId("T", "a"), [A, B, C]));
        Assert.Equal(10624002104372218113UL, StableHash.Of("T", "a"));
    }

    [Fact]
    public void Grains_spread_evenly_over_the_silos()
    {
        var owners = Grains(3000).GroupBy(g => RendezvousPlacement.Owner(g, [A, B, C])).ToDictionary(g => g.Key!.Value, g => g.Count());

        Assert.Equal(3, owners.Count);
        Assert.All(owners.Values, count => Assert.InRange(count, 850, 1150));
    }

    [Fact]
    public void Removing_a_silo_moves_only_its_own_grains_and_a_restart_is_a_different_silo()
    {
        var before = Grains(1000).ToDictionary(g => g, g => RendezvousPlacement.Owner(g, [A, B, C]));
        var after = Grains(1000).ToDictionary(g => g, g => RendezvousPlacement.Owner(g, [A, C]));

        Assert.All(before.Where(p => p.Value != B), p => Assert.Equal(p.Value, after[p.Key]));
        Assert.DoesNotContain(B, after.Values.Cast<SiloAddress>());
        var restarted = B with { Generation = 2 };
        Assert.NotEqual(
            Grains(1000).Select(g => RendezvousPlacement.Owner(g, [A, B, C]) == B),
            Grains(1000).Select(g => RendezvousPlacement.Owner(g, [A, restarted, C]) == restarted));
    }

    [Fact]
    public void No_silos_means_no_owner() => Assert.Null(RendezvousPlacement.Owner(new GrainId("T", "k"), []));

    [Fact]
    public void A_silo_address_reads_back_what_it_writes()
    {
        var address = new SiloAddress("fd00::1", 11111, 1795250133913);

        Assert.Equal(address, SiloAddress.Parse(address.ToString()));
        Assert.Equal("http://[fd00::1]:11111/", address.Endpoint.ToString());
        Assert.Throws<FormatException>(() => SiloAddress.Parse("nonsense"));
    }
}
