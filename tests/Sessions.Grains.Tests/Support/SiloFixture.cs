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

    public string ConnectionString { get; private set; } = "";

    public AgentStore Agents { get; private set; } = null!;

    public DeliveryStore Deliveries { get; private set; } = null!;

    internal ChatSilo Silo { get; private set; } = null!;

    public IGrainFactory Grains => Silo.Grains;

    /// <summary>The silo's configuration (<c>Sessions:Limits:MaxPageSize</c>, ...).</summary>
    protected virtual Dictionary<string, string?> Settings => [];

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("grains");
        _dataSource = SessionsDataSource.Create(ConnectionString);
        Agents = new AgentStore(_dataSource);
        Deliveries = new DeliveryStore(_dataSource);
        Silo = await ChatSilo.StartAsync(ConnectionString, Settings);
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await _dataSource!.DisposeAsync();
    }
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
