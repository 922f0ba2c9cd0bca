using System.Globalization;
using System.Text.Json;
using Sessions.Testing.Cluster;
using Sessions.Testing.Realtime;

namespace Sessions.Cluster.Tests.Realtime;

/// <summary>
/// A subscriber of one session that keeps disconnecting at random points and resuming, from its last seq, on a
/// randomly chosen silo — over WebSocket or SSE. It records every seq it receives and every break of the rules
/// (a duplicate, a gap, a refused resume), and stops once it has reached the seq it is told is the last.
/// </summary>
internal sealed class ResumingSubscriber(string name, TestSession session, bool useSse, LocalCluster cluster, int seed)
{
    private readonly Random _random = new(seed);
    private readonly List<long> _received = [];
    private readonly List<string> _problems = [];
    private readonly List<(string ReplyId, int Chunks, string Text)> _completedWhileWatched = [];
    private readonly HashSet<string> _repliesSeen = new(StringComparer.Ordinal);
    private Dictionary<string, List<string>> _inFlight = new(StringComparer.Ordinal);
    private long _target = long.MaxValue;

    public string Name { get; } = name;

    public TestSession Session { get; } = session;

    public long LastSeq { get; private set; }

    public int Connections { get; private set; }

    public int FailedConnects { get; private set; }

    public IReadOnlyList<long> Received => _received;

    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Replies this subscriber watched from a chunk to their completion on one connection: their chunk count and text.</summary>
    public IReadOnlyList<(string ReplyId, int Chunks, string Text)> CompletedWhileWatched => _completedWhileWatched;

    /// <summary>Every reply seen in flight.</summary>
    public IReadOnlyCollection<string> RepliesSeen => _repliesSeen;

    /// <summary>Tells the subscriber the session's final last_seq: it stops when it has received it.</summary>
    public void FinishAt(long lastSeq) => Volatile.Write(ref _target, lastSeq);

    public async Task RunAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (LastSeq < Volatile.Read(ref _target))
        {
            if (DateTime.UtcNow > deadline)
            {
                _problems.Add($"{Name}: reached only seq {LastSeq} of {Volatile.Read(ref _target)} within {limit}");
                return;
            }

            var running = cluster.Running.ToList();
            var silo = running[_random.Next(running.Count)];
            var quota = _random.Next(1, 25);
            try
            {
                Connections++;
                if (useSse)
                {
                    await ReadSseAsync(silo, quota);
                }
                else
                {
                    await ReadWebSocketAsync(silo, quota);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or System.Net.WebSockets.WebSocketException
                                               or TimeoutException or InvalidOperationException or IOException or TaskCanceledException)
            {
                // The silo went away (killed), or the connection broke: resume elsewhere, as a client would.
                FailedConnects++;
                await Task.Delay(50);
            }
        }
    }

    private async Task ReadWebSocketAsync(SiloProcess silo, int quota)
    {
        await using var ws = await WebSocketTestClient.ConnectAsync(silo.BaseAddress);
        await ws.SendAsync($$"""{"type":"subscribe","topic":"session:{{Session.Id}}","after_seq":{{LastSeq}}}""");
        var subscribed = await ws.NextOfTypeAsync("subscribed", TimeSpan.FromSeconds(15));
        CheckRecovered(subscribed, silo);
        _inFlight = new(StringComparer.Ordinal);
        for (var taken = 0; taken < quota && LastSeq < Volatile.Read(ref _target);)
        {
            var frame = await ws.NextAsync(TimeSpan.FromSeconds(15));
            var type = frame.GetProperty("type").GetString()!;
            if (type == "message")
            {
                Take(frame.GetProperty("seq").GetInt64(), silo);
                taken++;
            }
            else if (type.StartsWith("reply_", StringComparison.Ordinal))
            {
                TakeReplyEvent(type, frame.GetProperty(type == "reply_chunk" ? "chunk" : "reply"), silo);
            }
        }
    }

    private async Task ReadSseAsync(SiloProcess silo, int quota)
    {
        await using var events = await ServerSentEventsTestClient.OpenAsync(
            silo.Http, $"/api/sessions/{Session.Id}/events", LastSeq.ToString(CultureInfo.InvariantCulture));
        if (!events.Response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)events.Response.StatusCode} from {silo.Name}");
        }

        var subscribed = await events.NextAsync(TimeSpan.FromSeconds(15));
        CheckRecovered(JsonDocument.Parse(subscribed.Data).RootElement, silo);
        _inFlight = new(StringComparer.Ordinal);
        for (var taken = 0; taken < quota && LastSeq < Volatile.Read(ref _target);)
        {
            var next = await events.NextAsync(TimeSpan.FromSeconds(15));
            if (next.Event == "message")
            {
                Take(long.Parse(next.Id!, CultureInfo.InvariantCulture), silo);
                taken++;
            }
            else if (next.Event.StartsWith("reply_", StringComparison.Ordinal))
            {
                TakeReplyEvent(next.Event, JsonDocument.Parse(next.Data).RootElement, silo);
            }
        }
    }

    private void CheckRecovered(JsonElement subscribed, SiloProcess silo)
    {
        if (!subscribed.GetProperty("recovered").GetBoolean())
        {
            _problems.Add($"{Name}: resume after {LastSeq} on {silo.Name} was not recovered: {subscribed}");
        }
    }

    /// <summary>On one connection, each reply's chunks come once each from index 0 on, and a completed reply has them all.</summary>
    private void TakeReplyEvent(string type, JsonElement payload, SiloProcess silo)
    {
        switch (type)
        {
            case "reply_started":
                var id = payload.GetProperty("id").GetString()!;
                if (!_inFlight.TryAdd(id, []))
                {
                    _problems.Add($"{Name}: reply {id} started twice on one connection ({silo.Name})");
                }

                _repliesSeen.Add(id);
                break;
            case "reply_chunk":
                var replyId = payload.GetProperty("reply_id").GetString()!;
                var index = payload.GetProperty("index").GetInt32();
                if (!_inFlight.TryGetValue(replyId, out var chunks))
                {
                    _problems.Add($"{Name}: chunk {index} of reply {replyId} before its start ({silo.Name})");
                }
                else if (index != chunks.Count)
                {
                    _problems.Add($"{Name}: chunk {index} of reply {replyId} after {chunks.Count} chunks ({silo.Name})");
                }
                else
                {
                    chunks.Add(payload.GetProperty("text").GetString()!);
                }

                break;
            case "reply_ended":
                var ended = payload.GetProperty("id").GetString()!;
                if (_inFlight.Remove(ended, out var all) && payload.GetProperty("status").GetString() == "completed")
                {
                    _completedWhileWatched.Add((ended, all.Count, string.Concat(all)));
                }

                break;
        }
    }

    private void Take(long seq, SiloProcess silo)
    {
        if (seq != LastSeq + 1)
        {
            _problems.Add($"{Name}: got seq {seq} after {LastSeq} from {silo.Name} ({(seq <= LastSeq ? "duplicate" : "gap")})");
        }

        _received.Add(seq);
        LastSeq = Math.Max(LastSeq, seq);
    }
}
