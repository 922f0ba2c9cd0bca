using Npgsql;
using Sessions.Storage;
using Sessions.Testing;

namespace Sessions.Storage.Tests.Support;

/// <summary>A fresh, migrated database shared by the tests of one class (they keep apart by using unique ids).</summary>
public sealed class StorageDatabase : IAsyncLifetime
{
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync() => DataSource = SessionsDataSource.Create(await TestPostgres.CreateDatabaseAsync("storage"));

    public async Task DisposeAsync() => await DataSource.DisposeAsync();
}
