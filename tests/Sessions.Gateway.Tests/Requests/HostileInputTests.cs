using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace Sessions.Gateway.Tests.Requests;

/// <summary>
/// A hostile client, reproducibly: thousands of bad requests generated from a fixed seed (<see cref="HostileRequests"/>)
/// across every route. None may be answered with a 5xx, none may write anything, and the gateway must go on serving.
/// </summary>
public sealed class HostileInputTests(GatewayFixture gateway, ITestOutputHelper output) : IClassFixture<GatewayFixture>
{
    private const int Seed = 20_240_611;
    private const int RequestCount = 6_000;
    private const int Concurrency = 8;
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Thousands_of_generated_bad_requests_get_no_5xx_write_nothing_and_leave_the_gateway_serving()
    {
        var (sessionId, alice, bob) = await _client.CreateSessionAsync();
        var agent = await _client.CreateParticipantAsync("agent", kind: "agent");
        var stranger = await _client.CreateParticipantAsync("mallory");
        var requests = new HostileRequests(Seed, new HostileTargets(alice, bob, agent, stranger, sessionId)).Generate(RequestCount);
        var before = await gateway.Database.CountRowsAsync();
        var clock = Stopwatch.StartNew();

        var answers = new ConcurrentBag<(HostileRequest Request, int Status, string? MediaType, string Body)>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, ct) =>
        {
            using var message = request.ToMessage(_client.BaseAddress!);
            using var response = await _client.SendAsync(message, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            answers.Add((request, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body.Length > 300 ? body[..300] : body));
        });
        clock.Stop();

        var statuses = answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine($"{requests.Count} requests in {clock.Elapsed.TotalSeconds:0.0} s; statuses {string.Join(", ", statuses)}");
        // HOSTILE_DUMP=/some/file.tsv writes every answer (status, media type, request, defect, body), to study a change.
        if (Environment.GetEnvironmentVariable("HOSTILE_DUMP") is { Length: > 0 } dump)
        {
            await File.WriteAllLinesAsync(dump, answers.Select(a => $"{a.Status}\t{a.MediaType}\t{a.Request.Method} {Shorten(a.Request.PathAndQuery)}\t{a.Request.Label}\t{a.Body.ReplaceLineEndings(" ")}"));
        }

        var serverErrors = answers.Where(a => a.Status >= 500).ToList();
        var acceptedWrites = answers.Where(a => a.Request.IsWrite && a.Status < 400).ToList();
        // Kestrel itself refuses a path with an encoded NUL (%00), with a bare 400, before any of the gateway runs.
        var notProblems = answers.Where(a => a.Status >= 400 && a.MediaType != "application/problem+json"
            && !(a.Status == 400 && a.Body.Length == 0 && a.Request.PathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal))).ToList();
        var misjudged = answers.Where(a => a.Request.ExpectedProblem is { } code && !a.Body.Contains($"\"urn:sessions:problem:{code}\"", StringComparison.Ordinal)).ToList();
        var report = new StringBuilder().AppendLine(
            $"{serverErrors.Count} answered 5xx, {acceptedWrites.Count} bad writes accepted, {notProblems.Count} errors not problem+json, {misjudged.Count} not the expected problem (of {requests.Count}).");
        foreach (var (request, status, _, body) in serverErrors.Concat(acceptedWrites).Concat(notProblems).Concat(misjudged).Take(25))
        {
            report.AppendLine($"  {status} {request.Method} {Shorten(request.PathAndQuery)} [{request.Label}, expected {request.ExpectedProblem ?? "any 4xx"}] → {body}");
        }

        Assert.True(serverErrors.Count == 0 && acceptedWrites.Count == 0 && notProblems.Count == 0 && misjudged.Count == 0, report.ToString());
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
        var session = await (await _client.GetAsync($"/api/sessions/{sessionId}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", session.GetProperty("status").GetString());
        Assert.Equal(0, session.GetProperty("last_seq").GetInt64());

        // Still serving: a good participant, and a good message in the session every bad request aimed at.
        await _client.CreateParticipantAsync("after");
        await (await _client.AppendAsync(sessionId, alice, "still here")).ExpectJsonAsync(HttpStatusCode.Created);
    }

    private static string Shorten(string text) => text.Length > 120 ? $"{text[..120]}...({text.Length} chars)" : text;
}
