using System.Net;
using Npgsql;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Health;

public sealed class HealthEndpointsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Healthz_is_200_while_the_process_runs()
    {
        var response = await _client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_is_200_when_the_database_answers_and_the_silo_runs()
    {
        var response = await _client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_stopping_host_says_not_ready_at_once_and_still_serves_requests_while_it_drains()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("draining");
        var stopping = await GatewayFixture.StartGatewayAsync(connectionString, new Dictionary<string, string?> { ["Sessions:Shutdown:DrainDelay"] = "00:00:05" });
        await using (stopping)
        {
            using var client = new HttpClient { BaseAddress = new Uri(stopping.Addresses.First()) }.Authorize();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

            var stop = stopping.StopAsync();
            var notReady = await (await client.GetAsync("/readyz")).ExpectProblemAsync(HttpStatusCode.ServiceUnavailable, "not-ready");
            var served = await client.PostJsonAsync("/api/participants", """{"id":"still-served","kind":"human"}""");

            Assert.Equal("unhealthy", notReady.GetProperty("checks").GetProperty("silo").GetString());
            Assert.False(stop.IsCompleted, "The host stopped before its drain delay was over.");
            await served.ExpectJsonAsync(HttpStatusCode.Created);
            await stop;
        }
    }

    [Fact]
    public async Task Readyz_is_a_503_not_ready_problem_naming_the_database_while_it_is_unreachable_and_healthz_stays_200()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("vanishing");
        await using var doomed = await GatewayFixture.StartGatewayAsync(connectionString);
        using var client = new HttpClient { BaseAddress = new Uri(doomed.Addresses.First()) }.Authorize();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await AdministerAsync($"alter database \"{database}\" allow_connections false");
        await AdministerAsync($"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{database}'");
        try
        {
            var response = await client.GetAsync("/readyz");

            var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable, "not-ready");
            Assert.Equal("unhealthy", problem.GetProperty("checks").GetProperty("database").GetString());
            Assert.Equal("healthy", problem.GetProperty("checks").GetProperty("silo").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            // The silo leaves the cluster through the membership table: give the database back so it can.
            await AdministerAsync($"alter database \"{database}\" allow_connections true");
        }

        await doomed.StopAsync();
    }

    private static async Task AdministerAsync(string sql)
    {
        await using var server = new NpgsqlConnection(await TestPostgres.GetServerConnectionStringAsync());
        await server.OpenAsync();
        await using var command = new NpgsqlCommand(sql, server);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route()
    {
        var document = await (await _client.GetAsync("/openapi/v1.json")).ExpectJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "/api/participants",
            "/api/participants/{id}",
            "/api/sessions",
            "/api/sessions/{id}",
            "/api/sessions/{id}/status",
            "/api/sessions/{id}/messages",
            "/api/agents",
            "/api/agents/{id}",
            "/api/agents/{id}/secret/rotate",
        }, paths);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("AppendMessageRequest", out var append));
        Assert.True(append.GetProperty("properties").TryGetProperty("client_message_id", out _));
    }
}
