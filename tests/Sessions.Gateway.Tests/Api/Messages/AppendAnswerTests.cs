using System.Net;
using System.Text.Json;

namespace Sessions.Gateway.Tests.Api.Messages;

/// <summary>
/// The answer to an append is the stored message as the session grain holds it serialized: the 201, a replay's 200 and
/// a page carry the same bytes for it, whatever form the request wrote its content in.
/// </summary>
public sealed class AppendAnswerTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task The_201_a_replayed_200_and_a_page_carry_the_same_bytes_for_the_message()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();
        // Spaces, key order, 1e3 and escapes: the database keeps none of them as sent, and the answer is what it stored.
        var body = $$"""{ "sender_id": "{{alice}}", "kind": "text", "client_message_id": "c-1", "content": { "z": [true, null], "n": 1e3, "text": "caf\u00e9 \ud83d\ude00\n" }, "metadata": {"lang": "fr"} }""";

        var created = await _client.PostJsonAsync($"/api/sessions/{id}/messages", body);
        var replayed = await _client.PostJsonAsync($"/api/sessions/{id}/messages", body);
        var page = await _client.GetAsync($"/api/sessions/{id}/messages?after_seq=0&limit=1");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/json; charset=utf-8", created.Content.Headers.ContentType?.ToString());
        Assert.Equal($"/api/sessions/{id}/messages?after_seq=0&limit=1", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Null(replayed.Headers.Location);
        var createdText = await created.Content.ReadAsStringAsync();
        using var pageJson = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
        var stored = Assert.Single(pageJson.RootElement.GetProperty("messages").EnumerateArray());
        Assert.Equal(stored.GetRawText(), createdText);
        Assert.Equal(createdText, await replayed.Content.ReadAsStringAsync());
        Assert.Equal(1000, stored.GetProperty("content").GetProperty("n").GetInt32());
        Assert.Equal("café 😀\n", stored.GetProperty("content").GetProperty("text").GetString());
    }
}
