using Microsoft.Extensions.Configuration;
using Sessions.Host;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Hosting;

public sealed class SessionsHostTests
{
    [Fact]
    public async Task Without_urls_it_listens_on_loopback_port_5080()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("defaults");

        await using var gateway = await SessionsHost.BuildAsync([], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Sessions"] = connectionString, ["SESSIONS_SILO_PORT"] = "0", ["SESSIONS_GATEWAY_PORT"] = "0", [TestCredentials.AdminKeyVariable] = TestCredentials.AdminKey }));

        Assert.Equal(SessionsHost.DefaultUrl, gateway.PublicUrls);
        Assert.Equal("http://127.0.0.1:5080", SessionsHost.DefaultUrl);
        Assert.Null(gateway.EmbeddedPostgres);
    }

    [Fact]
    public async Task Urls_on_the_command_line_win_over_the_default()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("urls");

        await using var gateway = await SessionsHost.BuildAsync(["--urls", "http://127.0.0.1:0"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Sessions"] = connectionString, ["SESSIONS_SILO_PORT"] = "0", ["SESSIONS_GATEWAY_PORT"] = "0", [TestCredentials.AdminKeyVariable] = TestCredentials.AdminKey }));
        await gateway.StartAsync();

        var address = new Uri(Assert.Single(gateway.Addresses));
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(5080, address.Port);
        await gateway.StopAsync();
    }

    [Fact]
    public async Task Building_applies_the_migrations_to_an_empty_database()
    {
        var connectionString = await TestPostgres.CreateEmptyDatabaseAsync("unmigrated");

        await using (var gateway = await SessionsHost.BuildAsync(["--urls", "http://127.0.0.1:0"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Sessions"] = connectionString, ["SESSIONS_SILO_PORT"] = "0", ["SESSIONS_GATEWAY_PORT"] = "0", [TestCredentials.AdminKeyVariable] = TestCredentials.AdminKey })))
        {
        }

        await using var database = new TestDatabase(connectionString);
        Assert.Equal(new RowCounts(0, 0, 0), await database.CountRowsAsync());
    }
}
