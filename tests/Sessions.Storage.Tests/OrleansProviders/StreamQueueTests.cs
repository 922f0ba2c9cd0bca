using Npgsql;
using Sessions.Testing;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>
/// The stream statements of migration 0011 as the ADO.NET stream provider calls them (its query keys, its parameter
/// names, its receipts "id:dequeued"): take, confirm, release, fail and eviction. The provider itself runs on them in
/// the gateway's agent-dispatch tests (NoticeStream = AdoNet).
/// </summary>
[Collection(OrleansCollection.Name)]
public sealed class StreamQueueTests
{
    private const string Queue = "queue-0";

    [Fact]
    public async Task A_taken_message_is_hidden_until_confirmed_and_gone_after()
    {
        var queue = await StreamQueue.CreateAsync();
        var id = await queue.EnqueueAsync([1, 2, 3]);

        var taken = Assert.Single(await queue.TakeAsync(visibilitySeconds: 60));
        Assert.Equal((id, 1), (taken.MessageId, taken.Dequeued));
        Assert.Equal([1, 2, 3], taken.Payload);
        Assert.Empty(await queue.TakeAsync(visibilitySeconds: 60));

        Assert.Equal([id], await queue.ConfirmAsync($"{id}:1"));
        Assert.Equal(0L, await queue.CountAsync("orleans_stream_messages"));
    }

    [Fact]
    public async Task Messages_come_oldest_first_up_to_the_count_asked_for()
    {
        var queue = await StreamQueue.CreateAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await queue.EnqueueAsync([(byte)i]));
        }

        Assert.Equal(ids[..3], (await queue.TakeAsync(visibilitySeconds: 60, maxCount: 3)).Select(m => m.MessageId));
        Assert.Equal(ids[3..], (await queue.TakeAsync(visibilitySeconds: 60, maxCount: 3)).Select(m => m.MessageId));
    }

    [Fact]
    public async Task A_receipt_from_an_attempt_that_timed_out_confirms_nothing()
    {
        var queue = await StreamQueue.CreateAsync();
        var id = await queue.EnqueueAsync([7]);
        Assert.Single(await queue.TakeAsync(visibilitySeconds: 0));
        Assert.Equal(2, Assert.Single(await queue.TakeAsync(visibilitySeconds: 60)).Dequeued);

        Assert.Empty(await queue.ConfirmAsync($"{id}:1"));
        Assert.Equal(1L, await queue.CountAsync("orleans_stream_messages"));
        Assert.Equal([id], await queue.ConfirmAsync($"{id}:2"));
    }

    [Fact]
    public async Task A_released_message_is_visible_again_at_once()
    {
        var queue = await StreamQueue.CreateAsync();
        var first = await queue.EnqueueAsync([1]);
        var second = await queue.EnqueueAsync([2]);
        Assert.Equal(2, (await queue.TakeAsync(visibilitySeconds: 600)).Count);

        Assert.Equal([first, second], (await queue.ConfirmAsync($"{first}:-1|{second}:-1")).Order());

        Assert.Equal([(first, 2), (second, 2)], (await queue.TakeAsync(visibilitySeconds: 600)).Select(m => (m.MessageId, m.Dequeued)));
    }

    [Fact]
    public async Task A_failed_message_is_retried_while_it_has_attempts_and_is_dead_after()
    {
        var queue = await StreamQueue.CreateAsync();
        var id = await queue.EnqueueAsync([9]);
        Assert.Single(await queue.TakeAsync(visibilitySeconds: 600, maxAttempts: 2));

        await queue.FailAsync(id, maxAttempts: 2);
        Assert.Equal(2, Assert.Single(await queue.TakeAsync(visibilitySeconds: 600, maxAttempts: 2)).Dequeued);
        await queue.FailAsync(id, maxAttempts: 2);

        Assert.Empty(await queue.TakeAsync(visibilitySeconds: 600, maxAttempts: 2));
        Assert.Equal(0L, await queue.CountAsync("orleans_stream_messages"));
        Assert.Equal(1L, await queue.CountAsync("orleans_stream_dead_letters"));
    }

    [Fact]
    public async Task A_due_eviction_moves_spent_and_expired_messages_to_the_dead_letters_and_removes_old_dead_letters()
    {
        var queue = await StreamQueue.CreateAsync();
        var spent = await queue.EnqueueAsync([1]);
        Assert.Single(await queue.TakeAsync(visibilitySeconds: 0, maxAttempts: 1, evictionSeconds: 0));
        var expired = await queue.EnqueueAsync([2], expirySeconds: 0);
        var live = await queue.EnqueueAsync([3]);
        await queue.SqlAsync("insert into orleans_stream_dead_letters select service_id, provider_id, queue_id, -1, 1, now(), now(), now(), now(), now(), now() - interval '1 second', null from orleans_stream_messages where message_id = $1", live);

        // The first take set the next eviction to now, so this take finds it due: it evicts, then takes what is left.
        var taken = await queue.TakeAsync(visibilitySeconds: 60, maxAttempts: 1, evictionSeconds: 3600);

        Assert.Equal([live], taken.Select(m => m.MessageId));
        Assert.Equal([spent, expired], (await queue.IdsAsync("orleans_stream_dead_letters")).Order());

        // The next eviction is an hour away: a new spent message stays where it is until then.
        var later = await queue.EnqueueAsync([4]);
        Assert.Single(await queue.TakeAsync(visibilitySeconds: 0, maxAttempts: 1, evictionSeconds: 3600));
        Assert.Empty(await queue.TakeAsync(visibilitySeconds: 0, maxAttempts: 1, evictionSeconds: 3600));
        Assert.Contains(later, await queue.IdsAsync("orleans_stream_messages"));
    }

    [Fact]
    public async Task Queues_of_other_providers_and_services_are_apart()
    {
        var queue = await StreamQueue.CreateAsync();
        await queue.EnqueueAsync([1]);

        Assert.Empty(await queue.With(provider: "other").TakeAsync(visibilitySeconds: 60));
        Assert.Empty(await queue.With(service: "other").TakeAsync(visibilitySeconds: 60));
        Assert.Single(await queue.TakeAsync(visibilitySeconds: 60));
    }

    private sealed record Message(long MessageId, int Dequeued, byte[] Payload);

    /// <summary>One queue of a fresh database, driven through the OrleansQuery statements with the provider's parameters.</summary>
    private sealed record StreamQueue(string ConnectionString, string Service, string Provider)
    {
        public static async Task<StreamQueue> CreateAsync() =>
            new(await TestPostgres.CreateDatabaseAsync("orleans_streams"), "service", "notices");

        public StreamQueue With(string? service = null, string? provider = null) =>
            this with { Service = service ?? Service, Provider = provider ?? Provider };

        public async Task<long> EnqueueAsync(byte[] payload, int expirySeconds = 600) =>
            (await RunAsync("QueueStreamMessageKey", r => r.GetInt64(r.GetOrdinal("MessageId")), new() { ["Payload"] = payload, ["ExpiryTimeout"] = expirySeconds })).Single();

        public Task<List<Message>> TakeAsync(int visibilitySeconds, int maxCount = 10, int maxAttempts = 5, int evictionSeconds = 3600) =>
            RunAsync(
                "GetStreamMessagesKey",
                r => new Message(r.GetInt64(r.GetOrdinal("MessageId")), r.GetInt32(r.GetOrdinal("Dequeued")), (byte[])r["Payload"]),
                new()
                {
                    ["MaxCount"] = maxCount,
                    ["MaxAttempts"] = maxAttempts,
                    ["VisibilityTimeout"] = visibilitySeconds,
                    ["RemovalTimeout"] = 600,
                    ["EvictionInterval"] = evictionSeconds,
                    ["EvictionBatchSize"] = 100,
                });

        public Task<List<long>> ConfirmAsync(string items) =>
            RunAsync("ConfirmStreamMessagesKey", r => r.GetInt64(r.GetOrdinal("MessageId")), new() { ["Items"] = items });

        public Task<List<int>> FailAsync(long messageId, int maxAttempts) =>
            RunAsync("FailStreamMessageKey", _ => 0, new() { ["MessageId"] = messageId, ["MaxAttempts"] = maxAttempts, ["RemovalTimeout"] = 600 });

        public Task<long> CountAsync(string table) => Db.ScalarAsync<long>(ConnectionString, $"select count(*) from {table}");

        public Task<List<long>> IdsAsync(string table) =>
            Db.ListAsync(ConnectionString, $"select message_id from {table}", r => r.GetInt64(0));

        public Task<int> SqlAsync(string sql, params object?[] args) => Db.ExecuteAsync(ConnectionString, sql, args);

        private async Task<List<T>> RunAsync<T>(string key, Func<NpgsqlDataReader, T> read, Dictionary<string, object> parameters)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            string text;
            await using (var lookup = new NpgsqlCommand("select querytext from orleansquery where querykey = @key", connection))
            {
                lookup.Parameters.AddWithValue("key", key);
                text = (string)(await lookup.ExecuteScalarAsync())!;
            }

            await using var command = new NpgsqlCommand(text, connection);
            command.Parameters.AddWithValue("ServiceId", Service);
            command.Parameters.AddWithValue("ProviderId", Provider);
            command.Parameters.AddWithValue("QueueId", Queue);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<T>();
            while (await reader.ReadAsync())
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }
}
