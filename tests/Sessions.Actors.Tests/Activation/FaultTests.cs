namespace Sessions.Actors.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task An_exception_thrown_in_a_grain_reaches_the_caller_and_the_activation_stays_healthy()
    {
        await using var silo = await TestSilo.StartAsync();
        var counter = silo.Grains.GetGrain<ICounterGrain>("fragile");
        await counter.IncrementAsync(7);

        var error = await Assert.ThrowsAsync<GrainInvocationException>(() => counter.ThrowAsync("boom"));

        Assert.Equal(typeof(InvalidOperationException).FullName, error.OriginalType);
        Assert.Equal("boom", error.OriginalMessage);
        Assert.Equal(8, await counter.IncrementAsync(1));
        Assert.Equal(1, silo.Probe.Count("activate:fragile"));
    }

    [Fact]
    public async Task A_grain_exception_keeps_its_code_and_details_across_the_call_boundary()
    {
        await using var silo = await TestSilo.StartAsync();

        var error = await Assert.ThrowsAsync<GrainException>(() => silo.Grains.GetGrain<ICounterGrain>("coded").FailWithCodeAsync("seq-conflict"));

        Assert.Equal("seq-conflict", error.Code);
        Assert.Equal("on purpose", error.Message);
        Assert.Equal("42", error.Details["answer"]);
    }

    [Fact]
    public async Task One_grain_throwing_does_not_disturb_another()
    {
        await using var silo = await TestSilo.StartAsync();
        var healthy = silo.Grains.GetGrain<ICounterGrain>("healthy");
        var faulty = silo.Grains.GetGrain<ICounterGrain>("faulty");

        var work = Enumerable.Range(0, 50).Select(async i =>
        {
            await Assert.ThrowsAsync<GrainInvocationException>(() => faulty.ThrowAsync($"fault {i}"));
            await healthy.IncrementAsync(1);
        });
        await Task.WhenAll(work);

        Assert.Equal(50, (await healthy.GetAsync()).Value);
        Assert.Equal(1, silo.Probe.Count("activate:healthy"));
    }

    [Fact]
    public async Task A_failed_activation_fails_its_calls_and_the_next_call_activates_afresh()
    {
        await using var silo = await TestSilo.StartAsync();
        silo.Probe.FailActivation["moody"] = true;
        var grain = silo.Grains.GetGrain<ICounterGrain>("moody");

        var error = await Assert.ThrowsAsync<GrainInvocationException>(() => grain.IncrementAsync(1));
        Assert.Equal("activation refused", error.OriginalMessage);
        Assert.Equal(0, silo.Statistics.ActivationCount);

        silo.Probe.FailActivation["moody"] = false;
        Assert.Equal(1, await grain.IncrementAsync(1));
    }
}
