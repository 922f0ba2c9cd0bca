using Microsoft.Extensions.DependencyInjection;
using Sessions.Testing.InProcess;

namespace Sessions.Actors.Tests;

public sealed class ClusterTests
{
    private static Task<TestCluster> StartAsync(int silos) => TestCluster.StartAsync(silos, silo => silo
        .AddJsonContext(TestJsonContext.Default)
        .AddJsonContext(ClusterTestJsonContext.Default)
        .AddGrain<ICounterGrain, CounterGrain>()
        .AddGrain<IPublisherGrain, PublisherGrain>()
        .Services.AddSingleton<GrainProbe>());

    [Fact]
    public async Task Calls_from_every_silo_reach_one_activation_on_the_grains_owner()
    {
        await using var cluster = await StartAsync(3);

        await Task.WhenAll(cluster.Silos.SelectMany(silo => Enumerable.Range(0, 30).Select(_ => silo.Grains.GetGrain<ICounterGrain>("shared").IncrementAsync(1))));

        Assert.All(cluster.Silos, silo => Assert.Equal(3, silo.Membership.View.ActiveSilos.Length));
        var owner = RendezvousPlacement.Owner(new GrainId(typeof(ICounterGrain).FullName!, "shared"), cluster.Silos[0].Membership.View.ActiveSilos);
        Assert.Equal([1, 0, 0], cluster.Silos.OrderByDescending(s => s.Address == owner).Select(s => s.Statistics.ActivationCount));
        Assert.Equal(90, (await cluster.Silos[1].Grains.GetGrain<ICounterGrain>("shared").GetAsync()).Value);
    }

    [Fact]
    public async Task A_grain_on_one_silo_pushes_to_an_observer_living_on_another()
    {
        await using var cluster = await StartAsync(2);
        var (subscriberSilo, otherSilo) = (cluster.Silos[0], cluster.Silos[1]);
        var key = Enumerable.Range(0, 100).Select(i => $"room-{i}")
            .First(k => RendezvousPlacement.Owner(new GrainId(typeof(IPublisherGrain).FullName!, k), otherSilo.Membership.View.ActiveSilos) == otherSilo.Address);
        var observer = new RecordingObserver();
        var reference = subscriberSilo.Grains.CreateObjectReference<IChatObserver>(observer);

        await subscriberSilo.Grains.GetGrain<IPublisherGrain>(key).SubscribeAsync(reference);
        var delivered = await otherSilo.Grains.GetGrain<IPublisherGrain>(key).PublishAsync("hello");

        Assert.Equal(otherSilo.Address.ToString(), await subscriberSilo.Grains.GetGrain<IPublisherGrain>(key).WhereAsync());
        Assert.Equal(1, delivered);
        Assert.Equal(["hello"], observer.Received);
        subscriberSilo.Grains.DeleteObjectReference(reference);
        var gone = await Assert.ThrowsAsync<GrainException>(() => otherSilo.Grains.GetGrain<IPublisherGrain>(key).PublishAsync("late"));
        Assert.Equal(RuntimeErrors.ObserverGone, gone.Code);
    }

    [Fact]
    public async Task When_a_silo_joins_the_grains_it_now_owns_leave_the_other_silos()
    {
        await using var cluster = await StartAsync(2);
        var keys = Enumerable.Range(0, 60).Select(i => $"g{i}").ToList();
        await Task.WhenAll(keys.Select(k => cluster.Silos[0].Grains.GetGrain<ICounterGrain>(k).IncrementAsync(1)));
        Assert.Equal(60, cluster.Silos.Sum(s => s.Statistics.ActivationCount));

        var newcomer = await cluster.AddSiloAsync();
        await cluster.WaitForActiveSilosAsync(3);
        var view = newcomer.Membership.View.ActiveSilos;
        var moving = keys.Count(k => RendezvousPlacement.Owner(new GrainId(typeof(ICounterGrain).FullName!, k), view) == newcomer.Address);

        await Eventually.TrueAsync(() => cluster.Silos[0].Statistics.ActivationCount + cluster.Silos[1].Statistics.ActivationCount == 60 - moving, "the moved grains deactivate on the old silos");
        await Task.WhenAll(keys.Select(k => cluster.Silos[1].Grains.GetGrain<ICounterGrain>(k).IncrementAsync(1)));
        Assert.Equal(moving, newcomer.Statistics.ActivationCount);
        Assert.InRange(moving, 5, 40);
    }

    [Fact]
    public async Task A_grain_on_a_silo_with_a_stale_view_rereads_the_membership_and_hands_its_call_to_the_owner()
    {
        await using var cluster = await StartAsync(2);
        var stale = await cluster.AddSiloAsync(o => o.ProbeInterval = TimeSpan.FromMinutes(10));
        await cluster.WaitForActiveSilosAsync(3);
        var before = stale.Membership.View.ActiveSilos;

        var newcomer = await cluster.AddSiloAsync();
        await Eventually.TrueAsync(() => newcomer.Membership.View.ActiveSilos.Length == 4, "the newcomer is active");
        Assert.Equal(3, stale.Membership.View.ActiveSilos.Length);
        var after = newcomer.Membership.View.ActiveSilos;
        var key = Enumerable.Range(0, 1000).Select(i => $"g{i}").First(k =>
            RendezvousPlacement.Owner(new GrainId(typeof(ICounterGrain).FullName!, k), before) == stale.Address
            && RendezvousPlacement.Owner(new GrainId(typeof(ICounterGrain).FullName!, k), after) == newcomer.Address);

        // The stale silo still thinks it owns the grain, so the call runs there first; the grain's check rereads the
        // table, finds the newcomer, and the call moves on to it.
        Assert.Equal(1, await stale.Grains.GetGrain<ICounterGrain>(key).IncrementIfPlacedHereAsync(1));

        Assert.Equal(4, stale.Membership.View.ActiveSilos.Length);
        await Eventually.TrueAsync(() => stale.Statistics.ActivationCount == 0, "the stale silo's activation is gone");
        Assert.Equal(1, newcomer.Statistics.ActivationCount);
        Assert.Equal(1, (await cluster.Silos[0].Grains.GetGrain<ICounterGrain>(key).GetAsync()).Value);
    }

    [Fact]
    public async Task A_silo_leaving_gracefully_under_load_fails_no_call()
    {
        await using var cluster = await StartAsync(3);
        var leaving = cluster.Silos[2];
        var callers = cluster.Silos.Take(2).ToList();
        using var stop = new CancellationTokenSource();
        var load = callers.Select(silo => Task.Run(async () =>
        {
            var calls = 0;
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await silo.Grains.GetGrain<ICounterGrain>($"load-{i % 40}").IncrementAsync(1);
                calls++;
            }

            return calls;
        })).ToList();

        await leaving.StopAsync();
        await cluster.WaitForActiveSilosAsync(2);
        await stop.CancelAsync();
        var calls = await Task.WhenAll(load);

        Assert.All(calls, count => Assert.True(count > 0));
        Assert.Equal(0, leaving.Statistics.ActivationCount);
    }
}
