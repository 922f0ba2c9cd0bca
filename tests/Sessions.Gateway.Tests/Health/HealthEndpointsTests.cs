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
    public async Task Readyz_is_a_503_not_ready_problem_naming_the_database_once_it_is_gone_while_healthz_stays_200()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("vanishing");
        await using var doomed = await GatewayFixture.StartGatewayAsync(connectionString);
        using var client = new HttpClient { BaseAddress = new Uri(doomed.Addresses.First()) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var server = new NpgsqlConnection(await TestPostgres.GetServerConnectionStringAsync()))
        {
            await server.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database \"{database}\" with (force)", server);
            await drop.ExecuteNonQueryAsync();
        }

        var response = await client.GetAsync("/readyz");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable, "not-ready");
        Assert.Equal("unhealthy", problem.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("healthy", problem.GetProperty("checks").GetProperty("silo").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        await doomed.StopAsync();
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
        }, paths);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("AppendMessageRequest", out var append));
        Assert.True(append.GetProperty("properties").TryGetProperty("client_message_id", out _));
    }
}
