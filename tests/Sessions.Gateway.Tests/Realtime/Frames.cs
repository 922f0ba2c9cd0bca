using System.Text.Json;
using Sessions.Testing.Realtime;

namespace Sessions.Gateway.Tests.Realtime;

internal static class RealtimeFrames
{
    public static Task SubscribeAsync(this WebSocketTestClient client, string sessionId, long? afterSeq = null, string? id = null) =>
        client.SendAsync(afterSeq is { } after
            ? $$"""{"type":"subscribe","topic":"session:{{sessionId}}","after_seq":{{after}}{{IdPart(id)}}}"""
            : $$"""{"type":"subscribe","topic":"session:{{sessionId}}"{{IdPart(id)}}}""");

    /// <summary>Reads message frames (skipping heartbeats) and returns their seqs, checking each names the session.</summary>
    public static async Task<List<long>> MessagesAsync(this WebSocketTestClient client, string sessionId, int count)
    {
        var seqs = new List<long>();
        while (seqs.Count < count)
        {
            var frame = await client.NextOfTypeAsync("message");
            Assert.Equal($"session:{sessionId}", frame.GetProperty("topic").GetString());
            var seq = frame.GetProperty("seq").GetInt64();
            Assert.Equal(seq, frame.GetProperty("message").GetProperty("seq").GetInt64());
            seqs.Add(seq);
        }

        return seqs;
    }

    public static List<long> Range(long from, long to) => [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i)];

    public static string Text(this JsonElement messageFrame) => messageFrame.GetProperty("message").GetProperty("content").GetProperty("text").GetString()!;

    private static string IdPart(string? id) => id is null ? "" : $$""","id":"{{id}}" """.TrimEnd();
}
