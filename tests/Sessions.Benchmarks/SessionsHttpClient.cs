using System.Net;
using System.Text;
using System.Text.Json;
using Sessions.Testing;

namespace Sessions.Benchmarks;

/// <summary>The few HTTP API calls the benchmark makes, over one pooled client with enough connections for every loop.</summary>
internal sealed class SessionsHttpClient(Uri address, int connections) : IDisposable
{
    private readonly HttpClient _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(30),
    }.Authorize();

    public Task CreateParticipantAsync(string id) =>
        PostAsync("/api/participants", $$"""{"id":"{{id}}","kind":"human"}""", HttpStatusCode.Created);

    public async Task<string> CreateSessionAsync(string initiator, string peer)
    {
        var body = await PostAsync("/api/sessions", $$"""{"initiator_id":"{{initiator}}","peer_id":"{{peer}}"}""", HttpStatusCode.Created);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public Task AppendAsync(string sessionId, string senderId, string contentJson) =>
        PostAsync($"/api/sessions/{sessionId}/messages", $$"""{"sender_id":"{{senderId}}","kind":"text","content":{{contentJson}}}""", HttpStatusCode.Created);

    public async Task ReadTailAsync(string sessionId, int limit)
    {
        using var response = await _http.GetAsync($"/api/sessions/{sessionId}/messages?limit={limit}", HttpCompletionOption.ResponseContentRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET messages answered {(int)response.StatusCode}.");
        }

        _ = await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>GET of one session (answered by its grain from memory): the cluster mode's probe of the forwarding hop.</summary>
    public async Task GetSessionAsync(string sessionId)
    {
        using var response = await _http.GetAsync($"/api/sessions/{sessionId}", HttpCompletionOption.ResponseContentRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET session answered {(int)response.StatusCode}.");
        }

        _ = await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<string> PostAsync(string path, string json, HttpStatusCode expected)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(path, content);
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == expected
            ? body
            : throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {body}");
    }

    public void Dispose() => _http.Dispose();
}
