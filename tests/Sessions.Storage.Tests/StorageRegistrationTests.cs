using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sessions.Storage.Agents;
using Sessions.Storage.Deliveries;
using Sessions.Storage.Inbox;
using Sessions.Storage.Messages;
using Sessions.Storage.Participants;
using Sessions.Storage.Sessions;
using Sessions.Testing;

namespace Sessions.Storage.Tests;

public sealed class StorageRegistrationTests
{
    [Fact]
    public async Task AddSessionsStorage_provides_one_data_source_and_stores_that_reach_the_database()
    {
        var services = new ServiceCollection().AddSessionsStorage(await TestPostgres.CreateDatabaseAsync("registration"));
        await using var provider = services.BuildServiceProvider();

        var participants = provider.GetRequiredService<ParticipantStore>();
        Assert.Same(provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<NpgsqlDataSource>());
        Assert.NotNull(provider.GetRequiredService<SessionStore>());
        Assert.NotNull(provider.GetRequiredService<MessageStore>());
        Assert.NotNull(provider.GetRequiredService<InboxStore>());
        Assert.NotNull(provider.GetRequiredService<ReadCursorStore>());
        Assert.NotNull(provider.GetRequiredService<AgentStore>());
        Assert.NotNull(provider.GetRequiredService<DeliveryStore>());
        Assert.Null(await participants.GetAsync("nobody", CancellationToken.None));
    }

    [Fact]
    public async Task The_data_source_auto_prepares_unless_the_connection_string_says_otherwise()
    {
        await using var defaulted = SessionsDataSource.Create("Host=127.0.0.1");
        await using var chosen = SessionsDataSource.Create("Host=127.0.0.1;Max Auto Prepare=5");

        Assert.Equal(SessionsDataSource.DefaultMaxAutoPrepare, new NpgsqlConnectionStringBuilder(defaulted.ConnectionString).MaxAutoPrepare);
        Assert.Equal(5, new NpgsqlConnectionStringBuilder(chosen.ConnectionString).MaxAutoPrepare);
    }
}
