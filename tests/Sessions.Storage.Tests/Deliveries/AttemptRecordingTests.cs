using Npgsql;
using Sessions.Storage.Deliveries;
using Sessions.Storage.Tests.Support;
using Sessions.Testing;

namespace Sessions.Storage.Tests.Deliveries;

public sealed class AttemptRecordingTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly DeliverySeed _seed = new(database.DataSource);

    [Fact]
    public async Task A_failed_attempt_with_a_retry_keeps_the_delivery_pending_until_the_retry_is_due()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.DeliveryAsync(agent, session, 1);
        var retryAt = delivery.CreatedAt.AddSeconds(30);
        var attempt = DeliverySeed.Attempt(delivery.Id, 1, httpStatus: 503, excerpt: "busy");

        var after = (await _seed.RecordAsync(attempt, DeliveryOutcome.RetryAt(retryAt)))!;

        Assert.Equal((DeliveryStatus.Pending, 1, (DateTimeOffset?)retryAt, "HTTP 503", (DateTimeOffset?)null),
            (after.Status, after.AttemptCount, after.NextAttemptAt, after.LastError, after.CompletedAt));
        Assert.Equal(
            [new DeliveryAttemptRow(1, DeliveryTrigger.Scheduled, attempt.StartedAt, attempt.FinishedAt, 25, 503, null, "busy")],
            after.Attempts);
        Assert.True(after.UpdatedAt > delivery.UpdatedAt);
    }

    [Fact]
    public async Task Retries_then_a_success_complete_the_delivery_and_clear_its_last_error()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.DeliveryAsync(agent, session, 1, 4);

        var first = (await _seed.RecordAsync(
            DeliverySeed.Attempt(delivery.Id, 1, httpStatus: null, error: "connection refused"), DeliveryOutcome.RetryAt(delivery.CreatedAt.AddSeconds(1))))!;
        var second = (await _seed.RecordAsync(
            DeliverySeed.Attempt(delivery.Id, 2, httpStatus: 200, excerpt: "{\"ok\":true}"), DeliveryOutcome.Succeeded))!;

        Assert.Equal((DeliveryStatus.Pending, "connection refused"), (first.Status, first.LastError));
        Assert.Equal((DeliveryStatus.Succeeded, 2, (DateTimeOffset?)null, (string?)null), (second.Status, second.AttemptCount, second.NextAttemptAt, second.LastError));
        Assert.Equal(second.UpdatedAt, second.CompletedAt);
        Assert.Equal([(1, (int?)null, "connection refused"), (2, 200, null)], second.Attempts.Select(a => (a.Attempt, a.HttpStatus, a.Error)));
    }

    [Fact]
    public async Task Giving_up_dead_letters_the_delivery_with_the_last_error()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.DeliveryAsync(agent, session, 1);

        var failed = (await _seed.RecordAsync(DeliverySeed.Attempt(delivery.Id, 1, httpStatus: 400, error: "rejected: bad payload"), DeliveryOutcome.Failed))!;

        Assert.Equal((DeliveryStatus.Failed, (DateTimeOffset?)null, "rejected: bad payload"), (failed.Status, failed.NextAttemptAt, failed.LastError));
        Assert.NotNull(failed.CompletedAt);
    }

    [Fact]
    public async Task Recording_the_same_attempt_again_changes_nothing()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.DeliveryAsync(agent, session, 1);
        var attempt = DeliverySeed.Attempt(delivery.Id, 1, httpStatus: 500);
        var recorded = (await _seed.RecordAsync(attempt, DeliveryOutcome.RetryAt(delivery.CreatedAt.AddMinutes(1))))!;

        // A dispatcher that crashed after the commit sends the record again, perhaps having decided otherwise since.
        var again = (await _seed.RecordAsync(attempt with { HttpStatus = 200 }, DeliveryOutcome.Succeeded))!;

        Assert.Equal(recorded.Attempts, again.Attempts);
        Assert.Equal((DeliveryStatus.Pending, 1, recorded.UpdatedAt), (again.Status, again.AttemptCount, again.UpdatedAt));
    }

    [Fact]
    public async Task A_late_record_of_an_older_attempt_is_logged_without_rolling_the_delivery_back()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.DeliveryAsync(agent, session, 1);
        await _seed.RecordAsync(DeliverySeed.Attempt(delivery.Id, 2, httpStatus: 200), DeliveryOutcome.Succeeded);

        var after = (await _seed.RecordAsync(DeliverySeed.Attempt(delivery.Id, 1), DeliveryOutcome.RetryAt(delivery.CreatedAt.AddMinutes(1))))!;

        Assert.Equal((DeliveryStatus.Succeeded, 2, (string?)null), (after.Status, after.AttemptCount, after.LastError));
        Assert.Equal([1, 2], after.Attempts.Select(a => a.Attempt));
    }

    [Fact]
    public async Task Recording_for_an_unknown_delivery_returns_null_and_stores_nothing()
    {
        var id = Guid.CreateVersion7();

        Assert.Null(await _seed.RecordAsync(DeliverySeed.Attempt(id, 1), DeliveryOutcome.Failed));
        Assert.Equal(0L, await AttemptsStoredAsync(id));
    }

    [Fact]
    public async Task The_attempt_and_the_delivery_change_become_visible_together()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.DeliveryAsync(agent, session, 1);

        // A share lock on the delivery lets the attempt's insert (its foreign key takes a key-share lock) through but
        // holds the delivery's update; meanwhile the inserted attempt must not be visible on its own.
        await using var holder = await database.DataSource.OpenConnectionAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var share = new NpgsqlCommand("select 1 from webhook_deliveries where id = $1 for share", holder, hold))
        {
            share.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = delivery.Id });
            await share.ExecuteNonQueryAsync();
        }

        var recording = _seed.RecordAsync(DeliverySeed.Attempt(delivery.Id, 1), DeliveryOutcome.Failed);
        await Eventually.TrueAsync(RecordingWaitsForTheLockAsync, "the record waits for the delivery's row lock");
        var attemptsWhileWaiting = await AttemptsStoredAsync(delivery.Id);
        await hold.CommitAsync();
        var recorded = await recording;

        Assert.Equal(0L, attemptsWhileWaiting);
        Assert.Equal((DeliveryStatus.Failed, 1), (recorded!.Status, recorded.AttemptCount));
        Assert.Equal(1L, await AttemptsStoredAsync(delivery.Id));
    }

    [Fact]
    public async Task Excerpts_and_errors_are_cut_to_1_KiB_between_characters_and_made_storable()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.DeliveryAsync(agent, session, 1);
        var excerpt = "a" + new string('€', 400);            // 1 + 1,200 bytes of UTF-8: the cut falls inside a '€'
        var error = "nul\0here " + string.Concat(Enumerable.Repeat("😀", 300)); // 4-byte characters, and a NUL

        var recorded = (await _seed.RecordAsync(DeliverySeed.Attempt(delivery.Id, 1, error: error, excerpt: excerpt), DeliveryOutcome.Failed))!;

        var attempt = Assert.Single(recorded.Attempts);
        Assert.Equal("a" + new string('€', 341), attempt.ResponseExcerpt); // 1,024 bytes exactly
        Assert.Equal("nul\uFFFDhere " + string.Concat(Enumerable.Repeat("😀", 253)), attempt.Error); // 11 + 1,012 bytes
        Assert.Equal(attempt.Error, recorded.LastError);
    }

    [Fact]
    public async Task Text_within_the_bound_is_kept_as_it_is()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.DeliveryAsync(agent, session, 1);
        var excerpt = new string('x', DeliveryStore.MaxResponseExcerptBytes);

        var recorded = (await _seed.RecordAsync(DeliverySeed.Attempt(delivery.Id, 1, excerpt: excerpt), DeliveryOutcome.Failed))!;

        Assert.Equal(excerpt, recorded.Attempts[0].ResponseExcerpt);
    }

    [Fact]
    public async Task The_schema_refuses_an_excerpt_over_1_KiB_written_around_the_store()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.DeliveryAsync(agent, session, 1);
        await using var insert = database.DataSource.CreateCommand("""
            insert into webhook_attempts (delivery_id, attempt, trigger, started_at, finished_at, latency_ms, response_excerpt)
            values ($1, 1, 'scheduled', now(), now(), 0, repeat('é', 513))
            """);
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = delivery.Id });

        var error = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    // The tests of a class run one at a time on a database of their own: a lock waiter in it is the record.
    private async Task<bool> RecordingWaitsForTheLockAsync()
    {
        await using var command = database.DataSource.CreateCommand("""
            select count(*) from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()
            """);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    private async Task<long> AttemptsStoredAsync(Guid deliveryId)
    {
        await using var command = database.DataSource.CreateCommand("select count(*) from webhook_attempts where delivery_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = deliveryId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
