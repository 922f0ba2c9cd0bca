using Npgsql;
using Sessions.Storage.Deliveries;
using Sessions.Storage.Tests.Support;

namespace Sessions.Storage.Tests.Deliveries;

public sealed class DeliveryCreationTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private static readonly DeliveryAttemptRow[] NoAttempts = [];
    private readonly DeliverySeed _seed = new(database.DataSource);
    private DeliveryStore Store => _seed.Store;

    [Fact]
    public async Task Creating_stores_a_pending_delivery_due_now_without_attempts()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var id = Guid.CreateVersion7();

        var created = await Store.CreateAsync(new NewDelivery(id, agent, session, 3, 5), CancellationToken.None);

        Assert.Equal((id, agent, session, 3L, 5L, DeliveryStatus.Pending, 0), (created.Id, created.AgentId, created.SessionId, created.FirstSeq, created.LastSeq, created.Status, created.AttemptCount));
        Assert.Equal((created.CreatedAt, created.CreatedAt), (created.NextAttemptAt, created.UpdatedAt));
        Assert.Equal(((string?)null, (DateTimeOffset?)null), (created.LastError, created.CompletedAt));
        Assert.Empty(created.Attempts);
        Assert.Equal(created with { Attempts = NoAttempts }, (await Store.GetAsync(id, CancellationToken.None))! with { Attempts = NoAttempts });
    }

    [Fact]
    public async Task A_delivery_may_be_due_later()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var due = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var created = await Store.CreateAsync(DeliverySeed.New(agent, session, 1) with { NextAttemptAt = due }, CancellationToken.None);

        Assert.Equal(due, created.NextAttemptAt);
    }

    [Fact]
    public async Task Creating_the_same_id_again_returns_the_stored_delivery_with_its_attempts()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = DeliverySeed.New(agent, session, 1, 2);
        var first = await Store.CreateAsync(delivery, CancellationToken.None);
        await _seed.RecordAsync(DeliverySeed.Attempt(delivery.Id, 1), DeliveryOutcome.RetryAt(first.CreatedAt.AddMinutes(1)));

        var again = await Store.CreateAsync(delivery, CancellationToken.None);

        Assert.Equal((delivery.Id, 1, DeliveryStatus.Pending), (again.Id, again.AttemptCount, again.Status));
        Assert.Equal([1], again.Attempts.Select(a => a.Attempt));
        Assert.Equal(first.CreatedAt, again.CreatedAt);
        Assert.Equal(1L, await CountAsync("select count(*) from webhook_deliveries where id = $1", delivery.Id));
    }

    [Fact]
    public async Task Reusing_an_id_for_another_seq_range_is_refused_and_changes_nothing()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = DeliverySeed.New(agent, session, 1, 2);
        await Store.CreateAsync(delivery, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CreateAsync(delivery with { LastSeq = 3 }, CancellationToken.None));

        Assert.Equal(2L, (await Store.GetAsync(delivery.Id, CancellationToken.None))!.LastSeq);
    }

    [Theory]
    [InlineData(5, 4, PostgresErrorCodes.CheckViolation)]
    [InlineData(0, 1, PostgresErrorCodes.CheckViolation)]
    public async Task The_schema_refuses_a_seq_range_that_is_empty_or_below_one(long firstSeq, long lastSeq, string sqlState)
    {
        var (agent, session) = await _seed.AgentInSessionAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            Store.CreateAsync(DeliverySeed.New(agent, session, firstSeq, lastSeq), CancellationToken.None));

        Assert.Equal(sqlState, error.SqlState);
    }

    [Fact]
    public async Task The_schema_refuses_an_unknown_session_or_agent()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();

        var noSession = await Assert.ThrowsAsync<PostgresException>(() =>
            Store.CreateAsync(DeliverySeed.New(agent, Seed.NewId("none"), 1), CancellationToken.None));
        var noAgent = await Assert.ThrowsAsync<PostgresException>(() =>
            Store.CreateAsync(DeliverySeed.New(Seed.NewId("none"), session, 1), CancellationToken.None));

        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, PostgresErrorCodes.ForeignKeyViolation), (noSession.SqlState, noAgent.SqlState));
    }

    [Fact]
    public async Task Getting_an_unknown_delivery_returns_null() =>
        Assert.Null(await Store.GetAsync(Guid.CreateVersion7(), CancellationToken.None));

    private async Task<long> CountAsync(string sql, Guid id)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
