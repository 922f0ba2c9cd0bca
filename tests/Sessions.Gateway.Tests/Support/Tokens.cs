using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Sessions.Gateway.Tests;

/// <summary>Issuing and using participant tokens through the API, as an admin would.</summary>
public static class Tokens
{
    /// <summary>Issues a token for <paramref name="participantId"/> (the client must send an admin key); returns its id and value.</summary>
    public static async Task<(string Id, string Token)> IssueTokenAsync(this HttpClient admin, string participantId, DateTimeOffset? expiresAt = null)
    {
        var body = expiresAt is { } at ? JsonSerializer.Serialize(new Dictionary<string, string> { ["expires_at"] = at.ToString("O") }) : "{}";
        var issued = await (await admin.PostJsonAsync($"/api/participants/{participantId}/tokens", body)).ExpectJsonAsync(HttpStatusCode.Created);
        return (issued.GetProperty("id").GetString()!, issued.GetProperty("token").GetString()!);
    }

    public static Task<HttpResponseMessage> RevokeTokenAsync(this HttpClient admin, string participantId, string tokenId) =>
        admin.DeleteAsync($"/api/participants/{participantId}/tokens/{tokenId}");

    /// <summary>A client of the same gateway that sends <paramref name="token"/> (or, with null, no token at all).</summary>
    public static HttpClient As(this HttpClient client, string? token)
    {
        var other = new HttpClient { BaseAddress = client.BaseAddress };
        if (token is not null)
        {
            other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return other;
    }

    /// <summary>A 401 with the problem <paramref name="code"/> and a Bearer challenge.</summary>
    public static async Task<JsonElement> ExpectUnauthorizedAsync(this HttpResponseMessage response, string code)
    {
        var problem = await response.ExpectProblemAsync(HttpStatusCode.Unauthorized, code);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        return problem;
    }
}
