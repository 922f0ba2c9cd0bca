namespace Sessions.Actors.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task First_call_activates_the_grain_once_and_state_survives_between_calls()
    {
        await using var silo = await TestSilo.StartAsync();
        var counter = silo.Grains.GetGrain<ICounterGrain>("a");

        await counter.IncrementAsync(2);
        var value = await counter.IncrementAsync(3);

        Assert.Equal(5, value);
        Assert.Equal(1, silo.Probe.Count("activate:a"));
        Assert.Equal(1, silo.Statistics.ActivationCount);
    }

    [Fact]
    public async Task Concurrent_calls_to_one_grain_run_one_turn_at_a_time()
    {
        await using var silo = await TestSilo.StartAsync();
        var counter = silo.Grains.GetGrain<ICounterGrain>("busy");

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => counter.SlowTurnAsync())));

        Assert.Equal(1, silo.Probe.MaxConcurrentTurns);
        Assert.Equal(100, (await counter.GetAsync()).Value);
    }

    [Fact]
    public async Task Different_grains_run_in_parallel()
    {
        await using var silo = await TestSilo.StartAsync();
        var blocked = silo.Grains.GetGrain<IGatedGrain>("blocked");
        silo.Probe.Gate("activate:blocked").SetResult();
        silo.Probe.Gate("activate:free").SetResult();

        var stuck = blocked.WaitForGateAsync("never");
        var answer = await silo.Grains.GetGrain<IGatedGrain>("free").EchoAsync("hi").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("hi", answer);
        Assert.False(stuck.IsCompleted);
        silo.Probe.Gate("never").SetResult();
        await stuck;
    }

    [Fact]
    public async Task Calls_that_arrive_while_the_grain_activates_wait_and_then_run_in_order()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IGatedGrain>("slow-start");

        var first = grain.EchoAsync("1");
        await Eventually.TrueAsync(() => silo.Probe.Count("activating") == 1, "the activation has started");
        var calls = new[] { first, grain.EchoAsync("2"), grain.EchoAsync("3") };
        Assert.DoesNotContain(calls, c => c.IsCompleted);

        silo.Probe.Gate("activate:slow-start").SetResult();
        var answers = await Task.WhenAll(calls);

        Assert.Equal(["1", "2", "3"], answers);
        Assert.Equal(["echo:1", "echo:2", "echo:3"], silo.Probe.Events.Where(e => e.StartsWith("echo:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_call_without_an_answer_times_out_for_the_caller()
    {
        await using var silo = await TestSilo.StartAsync(responseTimeout: TimeSpan.FromMilliseconds(200));
        silo.Probe.Gate("activate:mute").SetResult();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => silo.Grains.GetGrain<IGatedGrain>("mute").WaitForGateAsync("forever"));

        Assert.Contains("WaitForGateAsync", error.Message, StringComparison.Ordinal);
        silo.Probe.Gate("forever").SetResult();
    }
}
