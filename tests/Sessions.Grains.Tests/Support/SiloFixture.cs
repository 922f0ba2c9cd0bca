using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Sessions.Storage;
using Sessions.Storage.Agents;
using Sessions.Storage.Deliveries;

namespace Sessions.Grains.Tests;

/// <summary>
/// A fresh, migrated database and one silo over it, shared by the tests of one class (each test uses ids of its own),
/// with the stores for seeding and checking what the grains wrote.
/// </summary>
public class SiloFixture : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;
    private ChatSilo? _silo;

    public string ConnectionString { get; private set; } = "";

    public AgentStore Agents { get; private set; } = null!;

    public DeliveryStore Deliveries { get; private set; } = null!;

    /// <summary>The limits the silo runs with (the defaults unless <see cref="Settings"/> change them).</summary>
    public LimitsOptions Limits { get; } = new();

    internal ChatSilo Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public IGrainFactory Grains => Silo.Grains;

    /// <summary>The silo's configuration (<c>Sessions:Limits:MaxPageSize</c>, ...).</summary>
    protected virtual Dictionary<string, string?> Settings => [];

    /// <summary>The time of the silo's grains; the system's when null.</summary>
    protected virtual TimeProvider? SiloClock => null;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("grains");
        _dataSource = SessionsDataSource.Create(ConnectionString);
        Agents = new AgentStore(_dataSource);
        Deliveries = new DeliveryStore(_dataSource);
        _silo = await ChatSilo.StartAsync(ConnectionString, Settings, clock: SiloClock);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}

/// <summary>
/// A silo whose grains take their time from <see cref="Clock"/>. The clock starts at the real time, since the database
/// stamps <c>created_at</c> itself, and only ever moves forward.
/// </summary>
public sealed class FakeClockSiloFixture : SiloFixture
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override TimeProvider? SiloClock => Clock;
}

/// <summary>A silo whose pages are small (2 by default, 3 at most), so paging and a recovery's limit show with few rows.</summary>
public sealed class SmallPagesSiloFixture : SiloFixture
{
    public const int DefaultPageSize = 2;
    public const int MaxPageSize = 3;

    protected override Dictionary<string, string?> Settings => new()
    {
        ["Sessions:Limits:DefaultPageSize"] = $"{DefaultPageSize}",
        ["Sessions:Limits:MaxPageSize"] = $"{MaxPageSize}",
    };
}
