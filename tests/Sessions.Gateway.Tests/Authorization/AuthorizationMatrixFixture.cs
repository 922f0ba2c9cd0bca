using System.Net;
using System.Security.Cryptography;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Authorization;

/// <summary>
/// One gateway and what every cell of the matrix shares: a session between a human member and a peer with an attached
/// agent, an outsider, a registered webhook agent (for the admin routes under /api/agents), and a credential for each
/// <see cref="Identity"/>. Cells that change a session's state ask for a fresh one (<see cref="FreshSessionAsync"/>).
/// </summary>
public sealed class AuthorizationMatrixFixture : GatewayFixture
{
    private readonly Dictionary<Identity, string?> _authorization = [];

    public string Member { get; private set; } = "";

    public string Peer { get; private set; } = "";

    public string Agent { get; private set; } = "";

    public string Outsider { get; private set; } = "";

    /// <summary>An agent with a webhook registration, attached to no session (so nothing is ever delivered to it).</summary>
    public string RegisteredAgent { get; private set; } = "";

    public string SessionId { get; private set; } = "";

    /// <summary>A client that sends no credential of its own: each request carries its cell's.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Anonymous = Client.As(null);
        Member = await Client.CreateParticipantAsync("member");
        Peer = await Client.CreateParticipantAsync("peer");
        Agent = await Client.CreateParticipantAsync("agent", "agent");
        Outsider = await Client.CreateParticipantAsync("outsider");
        SessionId = await FreshSessionAsync();
        var registered = await (await Client.PostJsonAsync("/api/agents", """{"url":"http://127.0.0.1:9/hook"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        RegisteredAgent = registered.GetProperty("id").GetString()!;

        // An expired token: issued to expire a moment from now, then waited out (against the gateway's own check).
        var expiring = await Client.IssueTokenAsync(Member, DateTimeOffset.UtcNow.AddSeconds(1));
        var revoked = await Client.IssueTokenAsync(Member);
        (await Client.RevokeTokenAsync(Member, revoked.Id)).EnsureSuccessStatusCode();
        _authorization[Identity.NoToken] = null;
        _authorization[Identity.MalformedToken] = "Bearer not@a-token";
        _authorization[Identity.UnknownToken] = "Bearer sst_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        _authorization[Identity.RevokedToken] = "Bearer " + revoked.Token;
        _authorization[Identity.ExpiredToken] = "Bearer " + expiring.Token;
        _authorization[Identity.OtherParticipant] = "Bearer " + (await Client.IssueTokenAsync(Outsider)).Token;
        _authorization[Identity.SessionMember] = "Bearer " + (await Client.IssueTokenAsync(Member)).Token;
        _authorization[Identity.AttachedAgent] = "Bearer " + (await Client.IssueTokenAsync(Agent)).Token;
        _authorization[Identity.Admin] = "Bearer " + TestCredentials.AdminKey;
        await Eventually.TrueAsync(
            async () => (await SendAsync(Identity.ExpiredToken, HttpMethod.Get, $"/api/participants/{Member}", null)).StatusCode == HttpStatusCode.Unauthorized,
            "the short-lived token to expire");
    }

    /// <summary>The token <paramref name="identity"/> sends (without its scheme).</summary>
    public string TokenOf(Identity identity) => _authorization[identity]!["Bearer ".Length..];

    /// <summary>The participant a cell acts as in what it writes: each accepted caller as itself, an admin (and a refused caller) as the member.</summary>
    public string ActingAs(Identity identity) => identity switch
    {
        Identity.OtherParticipant => Outsider,
        Identity.AttachedAgent => Agent,
        _ => Member,
    };

    /// <summary>A new session of the member and the peer, with the agent attached, made with the admin key.</summary>
    public async Task<string> FreshSessionAsync()
    {
        var created = await (await Client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{Member}}","peer_id":"{{Peer}}","agent_id":"{{Agent}}"}"""))
            .ExpectJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    public async Task<HttpResponseMessage> SendAsync(Identity identity, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (_authorization[identity] is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        // Headers only: an event stream's 200 is the answer, its body never ends.
        return await Anonymous.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public override async Task DisposeAsync()
    {
        Anonymous?.Dispose();
        await base.DisposeAsync();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
