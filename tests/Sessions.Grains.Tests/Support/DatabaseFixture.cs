using Sessions.Testing;

namespace Sessions.Grains.Tests;

/// <summary>A fresh, migrated database shared by the tests of one class.</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = await TestPostgres.CreateDatabaseAsync("grains");

    public Task DisposeAsync() => Task.CompletedTask;
}
