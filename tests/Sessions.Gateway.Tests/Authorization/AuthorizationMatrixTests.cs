using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;

namespace Sessions.Gateway.Tests.Authorization;

/// <summary>
/// Issue 9's authorization matrix: every route of the running gateway × every <see cref="Identity"/>, each cell one
/// request with its exact status and problem code; a refused write leaves the tables as they were.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixFixture fixture) : IClassFixture<AuthorizationMatrixFixture>
{
    private static readonly string[] Anonymous = ["* /healthz", "* /readyz", "GET /healthz", "GET /readyz"];

    public static TheoryData<string> Routes => [.. MatrixRoutes.Rows.Select(r => r.Route)];

    [Fact]
    public void Every_route_of_the_gateway_has_a_row_and_every_row_a_route()
    {
        var mapped = ((IEndpointRouteBuilder)fixture.Gateway.App).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => $"{method} {endpoint.RoutePattern.RawText?.TrimEnd('/')}"))
            .Where(route => !Anonymous.Contains(route))
            .ToHashSet();
        var rows = MatrixRoutes.Rows.Select(r => r.Route).ToHashSet();
        Assert.Equal(rows.Count, MatrixRoutes.Rows.Count);
        Assert.True(mapped.Except(rows).ToArray() is [], $"Routes without a row: {string.Join(", ", mapped.Except(rows))}");
        Assert.True(rows.Except(mapped).ToArray() is [], $"Rows without a route: {string.Join(", ", rows.Except(mapped))}");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_caller_gets_the_exact_answer(string route)
    {
        var row = MatrixRoutes.Rows.Single(r => r.Route == route);
        var failures = new List<string>();
        foreach (var identity in Enum.GetValues<Identity>())
        {
            var request = await row.Build(fixture, identity);
            var expected = row.For(identity);
            var refused = expected.Status >= 400;
            var before = row.Writes && refused ? await fixture.Database.CountRowsAsync() : default;
            using var response = await fixture.SendAsync(identity, new HttpMethod(row.Method), request.Path, request.Body);
            var actual = await AnswerOf(response);
            if (actual != expected)
            {
                failures.Add($"{identity}: expected {expected}, got {actual}");
            }
            else if (row.Writes && refused && await fixture.Database.CountRowsAsync() != before)
            {
                failures.Add($"{identity}: refused, but rows changed");
            }
        }

        Assert.True(failures.Count == 0, $"{route}:\n  {string.Join("\n  ", failures)}");
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_routes_answer_without_a_token(string path)
    {
        using var response = await fixture.SendAsync(Identity.NoToken, HttpMethod.Get, path, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The status, and the problem's code when the answer is a problem (the stable part of its type URN).</summary>
    private static async Task<Expect> AnswerOf(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return new Expect(status);
        }

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new Expect(status, problem.RootElement.GetProperty("type").GetString()!.Replace("urn:sessions:problem:", "", StringComparison.Ordinal));
    }
}
