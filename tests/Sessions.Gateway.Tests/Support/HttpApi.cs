using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sessions.Gateway.Tests;

/// <summary>
/// Raw HTTP helpers: bodies are sent as the exact JSON text a client would send, and answers are read as JSON
/// documents, so the tests see the wire format and not a client library's idea of it.
/// </summary>
public static class HttpApi
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the status and a JSON (not problem) body, and returns the body.</summary>
    public static async Task<JsonElement> ExpectJsonAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Asserts an RFC 9457 problem: the status, the <c>application/problem+json</c> media type, the stable type URN
    /// and a title and detail; returns the problem for further checks.
    /// </summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        Assert.Equal($"urn:sessions:problem:{code}", problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose <c>errors</c> name exactly <paramref name="fields"/>.</summary>
    public static async Task<JsonElement> ExpectValidationProblemAsync(this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        var named = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToArray();
        Assert.Equal(fields.Order().ToArray(), named);
        return problem;
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<string> CreateParticipantAsync(this HttpClient client, string prefix = "p", string kind = "human")
    {
        var id = Unique(prefix);
        var response = await client.PostJsonAsync("/api/participants", $$"""{"id":"{{id}}","kind":"{{kind}}"}""");
        await response.ExpectJsonAsync(HttpStatusCode.Created);
        return id;
    }

    /// <summary>Two new humans and a session between them.</summary>
    public static async Task<(string SessionId, string Initiator, string Peer)> CreateSessionAsync(this HttpClient client)
    {
        var initiator = await client.CreateParticipantAsync("alice");
        var peer = await client.CreateParticipantAsync("bob");
        var response = await client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{initiator}}","peer_id":"{{peer}}"}""");
        var session = await response.ExpectJsonAsync(HttpStatusCode.Created);
        return (session.GetProperty("id").GetString()!, initiator, peer);
    }

    public static Task<HttpResponseMessage> AppendAsync(this HttpClient client, string sessionId, string senderId, string text, string? clientMessageId = null) =>
        client.PostJsonAsync($"/api/sessions/{sessionId}/messages", RequestBodies.Message(senderId, text, clientMessageId));

    public static HttpContent JsonContent(string json, string mediaType = "application/json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }
}
