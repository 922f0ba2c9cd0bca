using System.Net;

namespace Sessions.Gateway.Tests.Api.Messages;

public sealed class ConcurrentAppendTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const int Appenders = 64;
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Sixty_four_concurrent_appenders_get_seqs_one_to_sixty_four_without_gaps_or_duplicates()
    {
        var (id, alice, bob) = await _client.CreateSessionAsync();
        using var start = new SemaphoreSlim(0);

        var appends = Enumerable.Range(0, Appenders).Select(async i =>
        {
            await start.WaitAsync();
            var response = await _client.AppendAsync(id, i % 2 == 0 ? alice : bob, $"message {i}", clientMessageId: $"c-{i}");
            return (await response.ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("seq").GetInt64();
        }).ToList();
        start.Release(Appenders);
        var seqs = await Task.WhenAll(appends);

        var expected = Enumerable.Range(1, Appenders).Select(n => (long)n).ToArray();
        Assert.Equal(expected, seqs.Order().ToArray());
        Assert.Equal(expected, await gateway.Database.SeqsAsync(id));
        var page = await (await _client.GetAsync($"/api/sessions/{id}/messages?after_seq=0&limit={Appenders}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expected, page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToArray());
    }

    [Fact]
    public async Task Concurrent_replays_of_one_client_message_id_store_one_message_and_all_see_it()
    {
        var (id, alice, _) = await _client.CreateSessionAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => _client.AppendAsync(id, alice, "same", clientMessageId: "only-once")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadJsonAsync()).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Equal([1L], await gateway.Database.SeqsAsync(id));
    }
}
