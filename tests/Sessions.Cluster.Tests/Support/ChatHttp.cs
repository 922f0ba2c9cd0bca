using System.Net;
using System.Text;
using System.Text.Json;

namespace Sessions.Cluster.Tests;

/// <summary>A session made for a test, with the two participants who may write to it.</summary>
public sealed record TestSession(string Id, string Initiator, string Peer);

/// <summary>The HTTP calls the tests make to set things up, as raw JSON on the wire.</summary>
public static class ChatHttp
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Two participants and <paramref name="count"/> sessions between them, created through <paramref name="send"/>.</summary>
    /// <param name="send">Sends a request built by the given function (a balancer may build it more than once).</param>
    public static async Task<IReadOnlyList<TestSession>> CreateSessionsAsync(Func<Func<HttpRequestMessage>, Task<HttpResponseMessage>> send, int count)
    {
        var initiator = Unique("alice");
        var peer = Unique("bob");
        foreach (var id in new[] { initiator, peer })
        {
            using var created = await send(() => Post("/api/participants", $$"""{"id":"{{id}}","kind":"human"}"""));
            await ExpectAsync(created, HttpStatusCode.Created);
        }

        var sessions = new List<TestSession>();
        for (var i = 0; i < count; i++)
        {
            using var response = await send(() => Post("/api/sessions", $$"""{"initiator_id":"{{initiator}}","peer_id":"{{peer}}"}"""));
            var session = await ExpectAsync(response, HttpStatusCode.Created);
            sessions.Add(new TestSession(session.GetProperty("id").GetString()!, initiator, peer));
        }

        return sessions;
    }

    /// <summary>Sessions created through the running silos' HTTP ports in turn, so their activations spread over the silos.</summary>
    public static Task<IReadOnlyList<TestSession>> CreateSessionsAsync(this Sessions.Testing.Cluster.LocalCluster cluster, int count)
    {
        var silos = cluster.Running.ToList();
        var next = 0;
        return CreateSessionsAsync(request => silos[next++ % silos.Count].Http.SendAsync(request()), count);
    }

    public static Task<IReadOnlyList<TestSession>> CreateSessionsAsync(this HttpClient http, int count) =>
        CreateSessionsAsync(request => http.SendAsync(request()), count);

    public static async Task<IReadOnlyList<TestSession>> CreateSessionsAsync(this Sessions.Testing.Cluster.ReadinessBalancer balancer, int count) =>
        await CreateSessionsAsync(async request => (await balancer.SendAsync(request)).Response, count);

    public static HttpRequestMessage Post(string path, string json) =>
        new(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpRequestMessage AppendRequest(string sessionId, string senderId, string clientMessageId) =>
        Post($"/api/sessions/{sessionId}/messages", MessageBody(senderId, clientMessageId));

    /// <summary>A text message whose text is its client_message_id, so the database row tells which request it came from.</summary>
    public static string MessageBody(string senderId, string clientMessageId)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("sender_id", senderId);
            writer.WriteString("kind", "text");
            writer.WriteStartObject("content");
            writer.WriteString("text", clientMessageId);
            writer.WriteEndObject();
            writer.WriteString("client_message_id", clientMessageId);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status} from {response.RequestMessage?.RequestUri}, got {(int)response.StatusCode}: {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
