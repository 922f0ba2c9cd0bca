namespace Sessions.Actors.Tests;

public sealed class InterleavingTests
{
    [Fact]
    public async Task An_always_interleave_call_runs_while_a_turn_is_waiting()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IInterleavingGrain>("i");

        var blocked = grain.WaitForGateAsync("hold");
        var pong = await grain.PingAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("pong", pong);
        Assert.False(blocked.IsCompleted);
        silo.Probe.Gate("hold").SetResult();
        await blocked;
    }

    [Fact]
    public async Task Read_only_calls_run_together_but_not_beside_a_writing_turn()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IInterleavingGrain>("r");

        var reads = new[] { grain.ReadAsync("r1"), grain.ReadAsync("r2") };
        await Eventually.TrueAsync(() => silo.Probe.Count("read-start:r1") == 1 && silo.Probe.Count("read-start:r2") == 1, "both reads run at once");
        var write = grain.WaitForGateAsync("w");
        var lateRead = grain.ReadAsync("r3");
        silo.Probe.Gate("w").SetResult();
        silo.Probe.Gate("r1").SetResult();
        silo.Probe.Gate("r2").SetResult();
        await Task.WhenAll(reads);
        await write;

        await Eventually.TrueAsync(() => silo.Probe.Count("read-start:r3") == 1, "the read after the write starts");
        silo.Probe.Gate("r3").SetResult();
        await lateRead;
        var order = silo.Probe.Events.ToList();
        Assert.True(order.IndexOf("read-start:r3") > order.IndexOf("read-start:r2"));
    }

    [Fact]
    public async Task A_reentrant_grain_starts_the_next_call_while_one_awaits()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IReentrantGrain>("re");

        var first = grain.WaitForGateAsync("a");
        var second = grain.WaitForGateAsync("b");
        await Eventually.TrueAsync(() => grain.CountAsync().Result == 2, "both calls are inside the grain");

        silo.Probe.Gate("a").SetResult();
        silo.Probe.Gate("b").SetResult();
        await Task.WhenAll(first, second);
    }
}
