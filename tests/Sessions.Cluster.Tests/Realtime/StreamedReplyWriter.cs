using System.Net;
using System.Text.Json;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Realtime;

/// <summary>
/// Streams one reply of a session's peer through random silos: start, chunks with their index (so a resend after a
/// failure is stored once), finish. A reply ended under it (its silo killed: interrupted) is given up.
/// </summary>
internal sealed class StreamedReplyWriter(LocalCluster cluster, TestSession session, Random random)
{
    public sealed record Outcome(string ReplyId, IReadOnlyList<string> Chunks, bool Finished);

    public async Task<Outcome> RunAsync(string replyId, int chunks)
    {
        var written = new List<string>();
        if (!await PostAsync($"/api/sessions/{session.Id}/replies", $$"""{"sender_id":"{{session.Peer}}","reply_id":"{{replyId}}"}"""))
        {
            return new Outcome(replyId, written, false);
        }

        for (var i = 0; i < chunks; i++)
        {
            var text = $"<{replyId}:{i}>";
            if (!await PostAsync($"/api/sessions/{session.Id}/replies/{replyId}/chunks", JsonSerializer.Serialize(new { sender_id = session.Peer, text, index = i })))
            {
                return new Outcome(replyId, written, false);
            }

            written.Add(text);
        }

        var finished = await PostAsync($"/api/sessions/{session.Id}/replies/{replyId}/finish", $$"""{"sender_id":"{{session.Peer}}"}""");
        return new Outcome(replyId, written, finished);
    }

    /// <summary>True when accepted; false when the reply ended under the writer; resent through another silo on failures.</summary>
    private async Task<bool> PostAsync(string path, string json)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var running = cluster.Running.ToList();
            var silo = running[random.Next(running.Count)];
            try
            {
                using var response = await silo.Http.SendAsync(ChatHttp.Post(path, json));
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }

                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
                {
                    return false;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException($"{path} was not accepted after 200 attempts.");
    }
}
