using System.Net;
using static Sessions.Gateway.Tests.Authorization.Expect;

namespace Sessions.Gateway.Tests.Authorization;

/// <summary>
/// The route table of the authorization matrix: one row per route the gateway maps (a route missing here, or here and
/// not in the gateway, fails <see cref="AuthorizationMatrixTests"/>). Paths name the member's session, inbox and
/// participant; bodies name the caller itself (<see cref="AuthorizationMatrixFixture.ActingAs"/>), so a refusal is the
/// route's rule and not a body naming someone else.
/// </summary>
public static class MatrixRoutes
{
    private static readonly Expect MetricsReaderRequired = Problem(403, "metrics-reader-required");
    private static readonly Expect WebSocketRequired = Problem(400, "websocket-required");
    private static readonly Expect DeliveryNotFound = Problem(404, "delivery-not-found");

    // No delivery exists in the matrix's gateway (no webhook is attached to a session): an admin key reaching the
    // handler is seen as its 404, every other caller is refused before it.
    private const string NoDelivery = "0b9f4a8e-3a52-4f57-9d7e-000000000001";

    public static IReadOnlyList<MatrixRow> Rows { get; } =
    [
        // Participants and their tokens.
        Row("POST", "api/participants", (f, i) => Body("/api/participants", $$"""{"id":"{{HttpApi.Unique("new")}}","kind":"human"}"""), AdminRequired, AdminRequired, AdminRequired, Created),
        Row("GET", "api/participants", (f, i) => Path("/api/participants"), AdminRequired, AdminRequired, AdminRequired, Ok),
        Row("GET", "api/participants/{id}", (f, i) => Path($"/api/participants/{f.Member}"), ParticipantNotFound, Ok, ParticipantNotFound, Ok),
        Row("POST", "api/participants/{id}/tokens", (f, i) => Body($"/api/participants/{f.Member}/tokens", "{}"), AdminRequired, AdminRequired, AdminRequired, Created),
        Row("GET", "api/participants/{id}/tokens", (f, i) => Path($"/api/participants/{f.Member}/tokens"), AdminRequired, AdminRequired, AdminRequired, Ok),
        Row("DELETE", "api/participants/{id}/tokens/{tokenId}", async (f, i) => new CellRequest($"/api/participants/{f.Member}/tokens/{(await f.Client.IssueTokenAsync(f.Member)).Id}"), AdminRequired, AdminRequired, AdminRequired, NoContent),

        // The inbox: its owner only.
        Row("GET", "api/participants/{id}/inbox", (f, i) => Path($"/api/participants/{f.Member}/inbox"), NotCaller, Ok, NotCaller, Ok),
        Row("GET", "api/participants/{id}/inbox/events", (f, i) => Path($"/api/participants/{f.Member}/inbox/events"), NotCaller, Ok, NotCaller, Ok),

        // Sessions: members and the attached agent; others see no session at all.
        Row("POST", "api/sessions", (f, i) => Body("/api/sessions", $$"""{"initiator_id":"{{f.ActingAs(i)}}","peer_id":"{{(f.ActingAs(i) == f.Peer ? f.Member : f.Peer)}}"}"""), Created, Created, Created, Created),
        Row("GET", "api/sessions", (f, i) => Path($"/api/sessions?participant_id={f.Member}"), NotCaller, Ok, NotCaller, Ok),
        Row("GET", "api/sessions/{id}", (f, i) => Path($"/api/sessions/{f.SessionId}"), SessionNotFound, Ok, Ok, Ok),
        Row("POST", "api/sessions/{id}/status", async (f, i) => new CellRequest($"/api/sessions/{await f.FreshSessionAsync()}/status", """{"status":"idle"}"""), SessionNotFound, Ok, Ok, Ok),
        Row("GET", "api/sessions/{id}/messages", (f, i) => Path($"/api/sessions/{f.SessionId}/messages"), SessionNotFound, Ok, Ok, Ok),
        Row("POST", "api/sessions/{id}/messages", (f, i) => Body($"/api/sessions/{f.SessionId}/messages", RequestBodies.Message(f.ActingAs(i), "hello")), SessionNotFound, Created, Created, Created),
        Row("GET", "api/sessions/{id}/replies", (f, i) => Path($"/api/sessions/{f.SessionId}/replies"), SessionNotFound, Ok, Ok, Ok),
        Row("POST", "api/sessions/{id}/replies", async (f, i) => new CellRequest($"/api/sessions/{await f.FreshSessionAsync()}/replies", $$"""{"sender_id":"{{f.ActingAs(i)}}"}"""), SessionNotFound, Created, Created, Created),
        Row("POST", "api/sessions/{id}/replies/{replyId}/chunks", (f, i) => ReplyAsync(f, i, "chunks", $$"""{"sender_id":"{{f.ActingAs(i)}}","text":"hi"}"""), SessionNotFound, Ok, Ok, Ok),
        Row("POST", "api/sessions/{id}/replies/{replyId}/finish", (f, i) => ReplyAsync(f, i, "finish", $$"""{"sender_id":"{{f.ActingAs(i)}}"}"""), SessionNotFound, Created, Created, Created),
        Row("POST", "api/sessions/{id}/replies/{replyId}/stop", (f, i) => ReplyAsync(f, i, "stop", $$"""{"participant_id":"{{f.ActingAs(i)}}"}"""), SessionNotFound, Ok, Ok, Ok),
        Row("POST", "api/sessions/{id}/typing", (f, i) => Body($"/api/sessions/{f.SessionId}/typing", $$"""{"participant_id":"{{f.ActingAs(i)}}","typing":false}"""), SessionNotFound, Ok, Ok, Ok),
        Row("POST", "api/sessions/{id}/presence", (f, i) => Body($"/api/sessions/{f.SessionId}/presence", $$"""{"participant_id":"{{f.ActingAs(i)}}"}"""), SessionNotFound, Ok, Ok, Ok),
        Row("GET", "api/sessions/{id}/presence", (f, i) => Path($"/api/sessions/{f.SessionId}/presence"), SessionNotFound, Ok, Ok, Ok),
        Row("POST", "api/sessions/{id}/read", (f, i) => Body($"/api/sessions/{f.SessionId}/read", $$"""{"participant_id":"{{f.ActingAs(i)}}","last_seq":0}"""), SessionNotFound, Ok, Ok, Ok),
        Row("GET", "api/sessions/{id}/events", (f, i) => Path($"/api/sessions/{f.SessionId}/events"), SessionNotFound, Ok, Ok, Ok),
        Row("GET", "ws", (f, i) => Path("/ws"), WebSocketRequired, WebSocketRequired, WebSocketRequired, WebSocketRequired),

        // The delivery log: admin keys only.
        Row("GET", "api/sessions/{id}/deliveries", (f, i) => Path($"/api/sessions/{f.SessionId}/deliveries"), AdminRequired, AdminRequired, AdminRequired, Ok),
        Row("GET", "api/deliveries/{id}", (f, i) => Path($"/api/deliveries/{NoDelivery}"), AdminRequired, AdminRequired, AdminRequired, DeliveryNotFound),
        Row("POST", "api/deliveries/{id}/redeliver", (f, i) => Path($"/api/deliveries/{NoDelivery}/redeliver"), AdminRequired, AdminRequired, AdminRequired, DeliveryNotFound),

        // Webhook agents: admin keys only.
        Row("POST", "api/agents", (f, i) => Body("/api/agents", """{"url":"http://127.0.0.1:9/hook"}"""), AdminRequired, AdminRequired, AdminRequired, Created),
        Row("GET", "api/agents", (f, i) => Path("/api/agents"), AdminRequired, AdminRequired, AdminRequired, Ok),
        Row("GET", "api/agents/{id}", (f, i) => Path($"/api/agents/{f.RegisteredAgent}"), AdminRequired, AdminRequired, AdminRequired, Ok),
        Row("PUT", "api/agents/{id}", (f, i) => Body($"/api/agents/{f.RegisteredAgent}", """{"url":"http://127.0.0.1:9/hook"}"""), AdminRequired, AdminRequired, AdminRequired, Ok),
        Row("DELETE", "api/agents/{id}", async (f, i) => new CellRequest($"/api/agents/{await RegisterAgentAsync(f)}"), AdminRequired, AdminRequired, AdminRequired, NoContent),
        Row("POST", "api/agents/{id}/secret/rotate", (f, i) => Body($"/api/agents/{f.RegisteredAgent}/secret/rotate", "{}"), AdminRequired, AdminRequired, AdminRequired, Ok),
        Row("GET", "api/agents/{id}/deliveries", (f, i) => Path($"/api/agents/{f.RegisteredAgent}/deliveries"), AdminRequired, AdminRequired, AdminRequired, Ok),
        Row("POST", "api/agents/{id}/deliveries/recover", (f, i) => Body($"/api/agents/{f.RegisteredAgent}/deliveries/recover", """{"since":"2020-01-01T00:00:00Z"}"""), AdminRequired, AdminRequired, AdminRequired, Accepted),

        // Operations.
        Row("GET", "/metrics", (f, i) => Path("/metrics"), MetricsReaderRequired, MetricsReaderRequired, MetricsReaderRequired, Ok),
        Row("GET", "/openapi/{documentName}.json", (f, i) => Path("/openapi/v1.json"), Ok, Ok, Ok, Ok),
    ];

    private static MatrixRow Row(string method, string pattern, Func<AuthorizationMatrixFixture, Identity, Task<CellRequest>> build, Expect other, Expect member, Expect agent, Expect admin) =>
        new(method, pattern, build, other, member, agent, admin);

    private static Task<CellRequest> Path(string path) => Task.FromResult(new CellRequest(path));

    private static Task<CellRequest> Body(string path, string body) => Task.FromResult(new CellRequest(path, body));

    private static async Task<string> RegisterAgentAsync(AuthorizationMatrixFixture f)
    {
        var agent = await (await f.Client.PostJsonAsync("/api/agents", """{"url":"http://127.0.0.1:9/hook"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        return agent.GetProperty("id").GetString()!;
    }

    /// <summary>A reply in flight in a fresh session, started (with the admin key) by whom the cell acts as, when that is a member.</summary>
    private static async Task<CellRequest> ReplyAsync(AuthorizationMatrixFixture f, Identity identity, string action, string body)
    {
        var sessionId = await f.FreshSessionAsync();
        var author = identity == Identity.OtherParticipant ? f.Member : f.ActingAs(identity);
        var reply = await (await f.Client.PostJsonAsync($"/api/sessions/{sessionId}/replies", $$"""{"sender_id":"{{author}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        return new CellRequest($"/api/sessions/{sessionId}/replies/{reply.GetProperty("id").GetString()}/{action}", body);
    }
}
