namespace Sessions.Actors.Tests;

public sealed class DeactivationTests
{
    [Fact]
    public async Task An_idle_grain_is_collected_after_the_collection_age_and_reactivates_on_the_next_call()
    {
        await using var silo = await TestSilo.StartAsync(o =>
        {
            o.CollectionAge = TimeSpan.FromMilliseconds(100);
            o.CollectionQuantum = TimeSpan.FromMilliseconds(50);
        });
        var counter = silo.Grains.GetGrain<ICounterGrain>("idle");
        await counter.IncrementAsync(1);

        await Eventually.TrueAsync(() => silo.Statistics.ActivationCount == 0, "the idle activation is collected");

        Assert.Equal(1, silo.Probe.Count("deactivate:idle:IdleCollection"));
        Assert.Equal(1, await counter.IncrementAsync(1));
        Assert.Equal(2, silo.Probe.Count("activate:idle"));
    }

    [Fact]
    public async Task A_busy_grain_is_not_collected()
    {
        await using var silo = await TestSilo.StartAsync(o => o.CollectionAge = TimeSpan.Zero);
        silo.Probe.Gate("activate:busy").SetResult();
        var grain = silo.Grains.GetGrain<IGatedGrain>("busy");
        var running = grain.WaitForGateAsync("finish");
        await Eventually.TrueAsync(() => silo.Statistics.ActivationCount == 1, "the grain is active");

        Assert.Equal(0, silo.Statistics.CollectIdleActivations());

        silo.Probe.Gate("finish").SetResult();
        await running;
    }

    [Fact]
    public async Task Calls_queued_behind_a_deactivation_are_served_by_a_fresh_activation()
    {
        await using var silo = await TestSilo.StartAsync();
        var counter = silo.Grains.GetGrain<ICounterGrain>("cycling");

        var calls = new List<Task<int>>();
        for (var round = 0; round < 20; round++)
        {
            calls.Add(counter.IncrementAsync(1));
            await counter.DeactivateAsync();

            // Queued behind the deactivation this turn just requested.
            calls.Add(counter.IncrementAsync(1));
        }

        var results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(40, results.Length);
        Assert.Equal(21, silo.Probe.Count("activate:cycling"));
        Assert.Equal(20, silo.Probe.Count("deactivate:cycling:ApplicationRequested"));
    }

    [Fact]
    public async Task Stopping_the_silo_deactivates_every_activation_and_refuses_new_calls()
    {
        var silo = await TestSilo.StartAsync();
        var grains = Enumerable.Range(0, 10).Select(i => silo.Grains.GetGrain<ICounterGrain>($"g{i}")).ToList();
        await Task.WhenAll(grains.Select(g => g.IncrementAsync(1)));

        await silo.StopAsync();

        Assert.Equal(10, silo.Probe.Events.Count(e => e.EndsWith(":ShuttingDown", StringComparison.Ordinal)));
        Assert.Equal(0, silo.Statistics.ActivationCount);
        var error = await Assert.ThrowsAsync<GrainException>(() => grains[0].IncrementAsync(1));
        Assert.Equal(RuntimeErrors.SiloUnavailable, error.Code);
        Assert.True(RuntimeErrors.IsTransient(error));
        await silo.DisposeAsync();
    }

    [Fact]
    public async Task A_grain_that_finds_itself_moved_on_a_single_silo_fails_the_call_with_grain_moved_and_deactivates()
    {
        await using var silo = await TestSilo.StartAsync();
        var counter = silo.Grains.GetGrain<ICounterGrain>("moved");
        Assert.Equal(1, await counter.IncrementIfPlacedHereAsync(1));

        silo.Probe.Moved.Add("moved");
        var moved = await Assert.ThrowsAsync<GrainException>(() => counter.IncrementIfPlacedHereAsync(1));

        Assert.Equal(RuntimeErrors.GrainMoved, moved.Code);
        await Eventually.TrueAsync(() => silo.Probe.Count("deactivate:moved:PlacementChanged") == 1, "the activation that found itself moved deactivates");
        Assert.Equal(0, (await counter.GetAsync()).Value);
        Assert.Equal(2, silo.Probe.Count("activate:moved"));
    }
}
