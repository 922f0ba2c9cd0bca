using Microsoft.Extensions.Time.Testing;

namespace Sessions.Grains.Tests;

/// <summary>
/// A fresh, migrated database and one silo over it whose grains take their time from <see cref="Clock"/>, shared by the
/// tests of one class (each test uses keys of its own). The clock starts at the real time, since the database stamps
/// <c>created_at</c> itself, and only ever moves forward.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    private ChatSilo? _silo;

    public string ConnectionString { get; private set; } = "";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public LimitsOptions Limits { get; } = new();

    internal ChatSilo Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("grains");
        _silo = await ChatSilo.StartAsync(ConnectionString, clock: Clock);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
