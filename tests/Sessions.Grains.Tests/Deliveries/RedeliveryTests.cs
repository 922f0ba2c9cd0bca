using Sessions.Storage.Deliveries;

namespace Sessions.Grains.Tests.Deliveries;

/// <summary>
/// Redelivery by id and the recovery of an agent's failed deliveries (at most 3 per call here). The agents have no
/// webhook registration, so a dispatcher that was told logs a manual attempt that fails at once: proof that it was told.
/// </summary>
public sealed class RedeliveryTests(SmallPagesSiloFixture fixture) : IClassFixture<SmallPagesSiloFixture>
{
    private readonly DeliveryLogSeed _seed = new(fixture);

    private IDeliveryLogGrain Log => fixture.Grains.GetGrain<IDeliveryLogGrain>(0);

    [Fact]
    public async Task Redelivering_requeues_the_delivery_and_its_sessions_dispatcher_sends_it_again_as_manual()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var failed = await _seed.FailedAsync(agent, session, 1);

        var requeued = await Log.RedeliverAsync(failed.Id);

        Assert.Equal((failed.Id, DeliveryStatus.Pending, 1, (DateTimeOffset?)null), (requeued.Id, requeued.Status, requeued.AttemptCount, requeued.CompletedAt));
        Assert.NotNull(requeued.NextAttemptAt);
        var manual = await ManualAttemptAsync(failed.Id);
        Assert.Equal(2, manual.Attempt);
        Assert.Equal("the agent has no webhook registration", manual.Error);
    }

    [Fact]
    public async Task Redelivering_an_unknown_delivery_is_not_found()
    {
        var refused = await Assert.ThrowsAsync<SessionException>(() => Log.RedeliverAsync(Guid.CreateVersion7()));

        Assert.Equal(SessionErrors.DeliveryNotFound, refused.Code);
    }

    [Fact]
    public async Task Recovery_requeues_the_failed_deliveries_since_the_time_oldest_first_up_to_the_limit_and_says_more_remain()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var (_, otherSession) = await _seed.AgentInSessionAsync(agent);
        var failed = new List<DeliveryRow>();
        for (var seq = 1; seq <= 5; seq++)
        {
            failed.Add(await _seed.FailedAsync(agent, seq % 2 == 0 ? otherSession : session, seq));
        }

        var succeeded = await _seed.SucceededAsync(agent, session, 6);
        var otherAgents = await _seed.FailedAsync((await _seed.AgentInSessionAsync()).AgentId, otherSession, 7);

        var recovered = await Log.RecoverAsync(agent, failed[1].CreatedAt);

        Assert.Equal((3, true), (recovered.Requeued, recovered.More));
        Assert.Equal(failed.Skip(1).Take(3).Select(d => d.Id), recovered.DeliveryIds);
        foreach (var id in recovered.DeliveryIds)
        {
            Assert.Equal(2, (await ManualAttemptAsync(id)).Attempt);
        }

        foreach (var untouched in new[] { failed[0], failed[4], succeeded, otherAgents })
        {
            var now = await fixture.Deliveries.GetAsync(untouched.Id, CancellationToken.None);
            Assert.Equal((untouched.Status, untouched.AttemptCount, untouched.UpdatedAt), (now!.Status, now.AttemptCount, now.UpdatedAt));
        }
    }

    [Fact]
    public async Task Recovery_of_exactly_the_limit_says_no_more_and_of_nothing_requeues_nothing()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var since = DateTimeOffset.UtcNow.AddMinutes(-5);
        var nothing = await Log.RecoverAsync(agent, since);
        for (var seq = 1; seq <= SmallPagesSiloFixture.MaxPageSize; seq++)
        {
            await _seed.FailedAsync(agent, session, seq);
        }

        var all = await Log.RecoverAsync(agent, since);

        Assert.Equal((0, false), (nothing.Requeued, nothing.More));
        Assert.Empty(nothing.DeliveryIds);
        Assert.Equal((SmallPagesSiloFixture.MaxPageSize, false), (all.Requeued, all.More));
    }

    [Theory]
    [InlineData("nobody-here")]
    [InlineData("not an id")]
    public async Task Recovery_for_an_unknown_agent_is_agent_not_found(string agent)
    {
        var refused = await Assert.ThrowsAsync<SessionException>(() => Log.RecoverAsync(agent, DateTimeOffset.UtcNow));

        Assert.Equal(SessionErrors.AgentNotFound, refused.Code);
    }

    /// <summary>The manual attempt the session's dispatcher logs once it was told of the redelivery.</summary>
    private async Task<DeliveryAttemptRow> ManualAttemptAsync(Guid deliveryId) => await Eventually.ReturnsAsync(async () =>
        (await fixture.Deliveries.GetAsync(deliveryId, CancellationToken.None))!.Attempts.FirstOrDefault(a => a.Trigger == DeliveryTrigger.Manual),
        $"the dispatcher logs a manual attempt of delivery {deliveryId}");
}
