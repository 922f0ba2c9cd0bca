using System.Net;
using System.Text.Json;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Hostile;

/// <summary>Creates, through the API, what the attack aims at: sessions with members, agents, replies and a delivery.</summary>
public static class HostileSetup
{
    private const string DeadWebhook = "http://127.0.0.1:9/hook";

    public static async Task<AttackTargets> CreateTargetsAsync(HttpClient client)
    {
        var scenes = new List<HostileScene>();
        for (var i = 0; i < 4; i++)
        {
            var initiator = await client.CreateParticipantAsync("hi");
            var peer = await client.CreateParticipantAsync("hp");
            var agent = await RegisterAgentAsync(client);
            var session = await (await client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{initiator}}","peer_id":"{{peer}}","agent_id":"{{agent}}"}"""))
                .ExpectJsonAsync(HttpStatusCode.Created);
            var sessionId = session.GetProperty("id").GetString()!;
            for (var m = 0; m < 3; m++)
            {
                await (await client.AppendAsync(sessionId, m % 2 == 0 ? initiator : peer, $"setup {m}")).ExpectJsonAsync(HttpStatusCode.Created);
            }

            var replyId = $"hr-{i}";
            await (await client.PostJsonAsync($"/api/sessions/{sessionId}/replies", $$"""{"sender_id":"{{peer}}","reply_id":"{{replyId}}","kind":"text"}"""))
                .ExpectJsonAsync(HttpStatusCode.Created);
            scenes.Add(new HostileScene(sessionId, initiator, peer, agent, replyId));
        }

        var disposable = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            disposable.Add(await RegisterAgentAsync(client));
        }

        // The appends above were announced to the sessions' agents: wait for the first delivery to exist.
        var delivery = await Eventually.ReturnsAsync(async () =>
        {
            var list = await (await client.GetAsync($"/api/agents/{scenes[0].Agent}/deliveries")).ExpectJsonAsync(HttpStatusCode.OK);
            return list.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetString()).FirstOrDefault();
        }, "the first delivery to an agent exists", TimeSpan.FromSeconds(30));
        return new AttackTargets(scenes, delivery, disposable);
    }

    private static async Task<string> RegisterAgentAsync(HttpClient client)
    {
        var id = HttpApi.Unique("ha");
        await (await client.PostJsonAsync("/api/agents", JsonSerializer.Serialize(new { id, url = DeadWebhook, max_attempts = 2, retry_base_delay_ms = 50, retry_max_delay_ms = 100 })))
            .ExpectJsonAsync(HttpStatusCode.Created);
        return id;
    }
}
