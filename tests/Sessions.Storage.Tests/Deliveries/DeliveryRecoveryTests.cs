using Sessions.Storage.Deliveries;
using Sessions.Storage.Tests.Support;

namespace Sessions.Storage.Tests.Deliveries;

/// <summary>What a dispatcher and an operator use to pick up after failures: failed-since, requeue, the cursor, what is due.</summary>
public sealed class DeliveryRecoveryTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly DeliverySeed _seed = new(database.DataSource);
    private DeliveryStore Store => _seed.Store;

    [Fact]
    public async Task Failed_since_lists_the_agents_failed_deliveries_from_that_time_oldest_first()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var (stranger, strangersSession) = await _seed.AgentInSessionAsync();
        var before = await _seed.FailedAsync(agent, session, 1);
        var first = await _seed.FailedAsync(agent, session, 2);
        await _seed.SucceededAsync(agent, session, 3);
        await _seed.DeliveryAsync(agent, session, 4);
        await _seed.FailedAsync(stranger, strangersSession, 1);
        var second = await _seed.FailedAsync(agent, (await _seed.AgentInSessionAsync(agent)).SessionId, 1);
        var third = await _seed.FailedAsync(agent, session, 5);

        var failed = await Store.ListFailedSinceAsync(agent, first.CreatedAt, 10, CancellationToken.None);
        var firstTwo = await Store.ListFailedSinceAsync(agent, first.CreatedAt, 2, CancellationToken.None);

        Assert.True(before.CreatedAt < first.CreatedAt);
        Assert.Equal([first.Id, second.Id, third.Id], failed.Select(d => d.Id));
        Assert.Equal([first.Id, second.Id], firstTwo.Select(d => d.Id));
        Assert.All(failed, d => Assert.Single(d.Attempts));
    }

    [Fact]
    public async Task Listing_and_requeuing_until_nothing_is_left_recovers_every_failed_delivery_once()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var since = (await _seed.DeliveryAsync(agent, session, 1)).CreatedAt;
        var failed = new List<Guid>();
        for (var seq = 2; seq <= 6; seq++)
        {
            failed.Add((await _seed.FailedAsync(agent, session, seq)).Id);
        }

        var requeued = new List<Guid>();
        for (var batch = await Store.ListFailedSinceAsync(agent, since, 2, CancellationToken.None);
             batch.Count > 0;
             batch = await Store.ListFailedSinceAsync(agent, since, 2, CancellationToken.None))
        {
            foreach (var delivery in batch)
            {
                requeued.Add((await Store.RequeueAsync(delivery.Id, CancellationToken.None))!.Id);
            }

            Assert.True(requeued.Count <= failed.Count, "The recovery does not end.");
        }

        Assert.Equal(failed, requeued);
    }

    [Fact]
    public async Task Requeuing_a_failed_delivery_makes_it_pending_and_due_now_keeping_its_attempts()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var failed = await _seed.FailedAsync(agent, session, 1);

        var requeued = (await Store.RequeueAsync(failed.Id, CancellationToken.None))!;
        var redelivered = (await _seed.RecordAsync(
            DeliverySeed.Attempt(failed.Id, 2, httpStatus: 204, trigger: DeliveryTrigger.Manual), DeliveryOutcome.Succeeded))!;

        Assert.Equal((DeliveryStatus.Pending, (DateTimeOffset?)requeued.UpdatedAt, (DateTimeOffset?)null, 1, "HTTP 500"),
            (requeued.Status, requeued.NextAttemptAt, requeued.CompletedAt, requeued.AttemptCount, requeued.LastError));
        Assert.True(requeued.UpdatedAt > failed.UpdatedAt);
        Assert.Equal([(1, DeliveryTrigger.Scheduled), (2, DeliveryTrigger.Manual)], redelivered.Attempts.Select(a => (a.Attempt, a.Trigger)));
        Assert.Equal(DeliveryStatus.Succeeded, redelivered.Status);
    }

    [Fact]
    public async Task A_succeeded_delivery_may_be_requeued_for_a_manual_redelivery()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var succeeded = await _seed.SucceededAsync(agent, session, 1);

        var requeued = (await Store.RequeueAsync(succeeded.Id, CancellationToken.None))!;

        Assert.Equal((DeliveryStatus.Pending, (DateTimeOffset?)null), (requeued.Status, requeued.CompletedAt));
        Assert.NotNull(requeued.NextAttemptAt);
    }

    [Fact]
    public async Task Requeuing_a_pending_delivery_leaves_its_schedule_alone()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.DeliveryAsync(agent, session, 1);
        var waiting = (await _seed.RecordAsync(DeliverySeed.Attempt(delivery.Id, 1), DeliveryOutcome.RetryAt(delivery.CreatedAt.AddHours(1))))!;

        var requeued = (await Store.RequeueAsync(delivery.Id, CancellationToken.None))!;

        Assert.Equal((waiting.NextAttemptAt, waiting.UpdatedAt), (requeued.NextAttemptAt, requeued.UpdatedAt));
    }

    [Fact]
    public async Task Requeuing_an_unknown_delivery_returns_null() =>
        Assert.Null(await Store.RequeueAsync(Guid.CreateVersion7(), CancellationToken.None));

    [Fact]
    public async Task The_last_delivered_seq_is_the_highest_covered_by_any_delivery_of_the_pair()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var (_, otherSession) = await _seed.AgentInSessionAsync(agent);
        var otherAgent = (await _seed.AgentInSessionAsync()).AgentId;
        var none = await Store.LastDeliveredSeqAsync(agent, session, CancellationToken.None);
        await _seed.SucceededAsync(agent, session, 1);
        await _seed.FailedAsync(agent, session, 2);
        await _seed.DeliveryAsync(agent, session, 3, 7);
        await _seed.DeliveryAsync(agent, otherSession, 1, 20);
        await _seed.DeliveryAsync(otherAgent, session, 1, 30);

        Assert.Equal(0L, none);
        Assert.Equal(7L, await Store.LastDeliveredSeqAsync(agent, session, CancellationToken.None));
        Assert.Equal(20L, await Store.LastDeliveredSeqAsync(agent, otherSession, CancellationToken.None));
    }

    [Fact]
    public async Task Due_deliveries_are_the_pending_ones_whose_time_has_come_most_overdue_first()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var now = DateTimeOffset.UtcNow;
        var overdue = await Store.CreateAsync(DeliverySeed.New(agent, session, 1) with { NextAttemptAt = now.AddYears(-20) }, CancellationToken.None);
        var due = await Store.CreateAsync(DeliverySeed.New(agent, session, 2) with { NextAttemptAt = now.AddYears(-19) }, CancellationToken.None);
        await Store.CreateAsync(DeliverySeed.New(agent, session, 3) with { NextAttemptAt = now.AddYears(19) }, CancellationToken.None);

        // Other tests in this database leave deliveries due now; years apart, these are the oldest there.
        var found = await Store.ListDueAsync(now.AddYears(-18), 10, CancellationToken.None);

        Assert.Equal([overdue.Id, due.Id], found.Select(d => d.Id));
    }
}
