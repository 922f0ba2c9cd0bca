using System.Text.Json;
using System.Threading.Channels;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Calls;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// One client connection's way out: a bounded queue and the single writer that drains it. Feeds and the protocol
/// enqueue without waiting; when the queue is full the client is not keeping up, and the connection ends with the
/// reason <c>slow-consumer</c> instead of holding anyone else back. The writer keeps each topic exact: a message goes
/// out only as the next seq, a jump ahead is filled from the session's grain first, and what was sent is not sent again.
/// </summary>
internal sealed class RealtimeConnection : ITokenBoundConnection, IDisposable
{
    public const string SlowConsumer = "slow-consumer";

    private readonly Channel<Outgoing> _queue;
    private readonly CancellationTokenSource _ended = new();
    private readonly GrainCalls _calls;
    private readonly Action<RealtimeConnection> _onDispose;
    private readonly int _pageSize;
    private string? _endReason;
    private long _lastWrite = Environment.TickCount64;

    internal RealtimeConnection(GrainCalls calls, RealtimeOptions options, int pageSize, Action<RealtimeConnection> onDispose)
    {
        _calls = calls;
        _pageSize = pageSize;
        _onDispose = onDispose;
        _queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.OutgoingQueueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Cancelled when the connection must end (slow consumer, shutdown, client gone).</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Why the connection ended, when the server ended it.</summary>
    public string? EndReason => Volatile.Read(ref _endReason);

    /// <summary>Queues <paramref name="item"/>; a full queue ends the connection as a slow consumer.</summary>
    public void Enqueue(Outgoing item)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            End(SlowConsumer);
        }
    }

    /// <summary>Ends the connection with <paramref name="reason"/> (the first reason given stays).</summary>
    public void End(string reason)
    {
        Interlocked.CompareExchange(ref _endReason, reason, null);
        _queue.Writer.TryComplete();
        try
        {
            _ended.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>How long nothing has been written (<see cref="RealtimeConnections"/> sends a heartbeat into long silences).</summary>
    public TimeSpan Silence => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _lastWrite));

    /// <summary>Writes queued frames until the connection ends.</summary>
    public async Task RunWriterAsync(IRealtimeTransport transport)
    {
        var reader = _queue.Reader;
        var cancellation = _ended.Token;
        while (await reader.WaitToReadAsync(cancellation).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                await WriteAsync(transport, item, cancellation).ConfigureAwait(false);
                Volatile.Write(ref _lastWrite, Environment.TickCount64);
            }
        }
    }

    private async ValueTask WriteAsync(IRealtimeTransport transport, Outgoing item, CancellationToken cancellation)
    {
        switch (item)
        {
            case HeartbeatDue:
                await transport.WriteHeartbeatAsync(cancellation).ConfigureAwait(false);
                break;
            case ControlFrame frame:
                await transport.WriteControlAsync(frame, cancellation).ConfigureAwait(false);
                break;
            case TopicStart start when !start.Topic.Ended:
                start.Topic.Started = true;
                await transport.WriteControlAsync(start.Subscribed, cancellation).ConfigureAwait(false);
                await FillAsync(transport, start.Topic, Math.Max(start.LastSeq, start.Topic.SeenBeforeStart), cancellation).ConfigureAwait(false);
                await CatchUpRepliesAsync(transport, start.Topic, cancellation).ConfigureAwait(false);
                break;
            case TopicHead head when !head.Topic.Ended:
                if (!Hold(head.Topic, head.LastSeq))
                {
                    await FillAsync(transport, head.Topic, head.LastSeq, cancellation).ConfigureAwait(false);
                    if (head.Topic.Replies.Count > 0)
                    {
                        // Events were missed: the end of a reply may be among them.
                        await CatchUpRepliesAsync(transport, head.Topic, cancellation).ConfigureAwait(false);
                    }
                }

                break;
            case TopicEvent { Topic: var topic, Event: var sessionEvent } when !topic.Ended:
                await WriteEventAsync(transport, topic, sessionEvent, cancellation).ConfigureAwait(false);
                break;
            case InboxSnapshotOut { Subscribed: { } subscribed } start when !start.Topic.Ended:
                await transport.WriteControlAsync(subscribed, cancellation).ConfigureAwait(false);
                await WriteSnapshotAsync(transport, start.Topic, start.Snapshot, cancellation).ConfigureAwait(false);
                start.Topic.Started = true;
                foreach (var pending in start.Topic.Pending)
                {
                    await WriteAsync(transport, pending, cancellation).ConfigureAwait(false);
                }

                start.Topic.Pending.Clear();
                break;
            case InboxSnapshotOut resync when !resync.Topic.Ended:
                if (!resync.Topic.Started)
                {
                    resync.Topic.Pending.Add(resync);
                }
                else if (resync.Snapshot.Version > resync.Topic.LastVersion || resync.Repair)
                {
                    await WriteSnapshotAsync(transport, resync.Topic, resync.Snapshot, cancellation).ConfigureAwait(false);
                }

                break;
            case InboxChange change when !change.Topic.Ended:
                if (!change.Topic.Started)
                {
                    change.Topic.Pending.Add(change);
                }
                else if (change.Topic.Accept(change.Delta))
                {
                    await transport.WriteControlAsync(Frames.InboxDelta(change.Topic.Name, change.Delta), cancellation).ConfigureAwait(false);
                }

                break;
        }
    }

    private async ValueTask WriteEventAsync(IRealtimeTransport transport, SessionTopic topic, SessionEvent sessionEvent, CancellationToken cancellation)
    {
        if (Hold(topic, sessionEvent.Seq))
        {
            return;
        }

        var (type, property) = EventTypes.Of(sessionEvent.Kind);
        switch (sessionEvent.Kind)
        {
            case SessionEventKind.Message:
                if (sessionEvent.Seq <= topic.LastSent)
                {
                    return;
                }

                await FillAsync(transport, topic, sessionEvent.Seq - 1, cancellation).ConfigureAwait(false);
                await transport.WriteMessageAsync(topic, sessionEvent.Seq, sessionEvent.Utf8Json, cancellation).ConfigureAwait(false);
                topic.LastSent = sessionEvent.Seq;
                return;
            case SessionEventKind.Typing or SessionEventKind.Presence or SessionEventKind.AgentTurn:
                // Ephemeral, and about no message: written as they come.
                await transport.WriteEventAsync(topic, type, property, sessionEvent.Utf8Json, cancellation).ConfigureAwait(false);
                return;
        }

        // Anything else happened after the messages up to its seq: those go first.
        await FillAsync(transport, topic, sessionEvent.Seq, cancellation).ConfigureAwait(false);
        switch (sessionEvent.Kind)
        {
            case SessionEventKind.ReplyStarted when topic.Replies.TryAdd(sessionEvent.ReplyId!, 0):
            case SessionEventKind.Created or SessionEventKind.Status:
                await transport.WriteEventAsync(topic, type, property, sessionEvent.Utf8Json, cancellation).ConfigureAwait(false);
                break;
            case SessionEventKind.ReplyChunk:
                if (!topic.Replies.TryGetValue(sessionEvent.ReplyId!, out var next) || sessionEvent.ChunkIndex > next)
                {
                    // Its start or a chunk before it never came: take the reply as the grain has it.
                    await CatchUpRepliesAsync(transport, topic, cancellation).ConfigureAwait(false);
                }
                else if (sessionEvent.ChunkIndex == next)
                {
                    await transport.WriteEventAsync(topic, type, property, sessionEvent.Utf8Json, cancellation).ConfigureAwait(false);
                    topic.Replies[sessionEvent.ReplyId!] = next + 1;
                }

                break;
            case SessionEventKind.ReplyEnded when topic.Replies.TryGetValue(sessionEvent.ReplyId!, out var had):
                if (had < sessionEvent.ChunkIndex)
                {
                    // Chunks of it went missing on the way: the catch-up writes them, then the end.
                    await CatchUpRepliesAsync(transport, topic, cancellation).ConfigureAwait(false);
                }
                else
                {
                    topic.Replies.Remove(sessionEvent.ReplyId!);
                    await transport.WriteEventAsync(topic, type, property, sessionEvent.Utf8Json, cancellation).ConfigureAwait(false);
                }

                break;
        }
    }

    /// <summary>
    /// Brings the client's view of the session's replies up to the grain's: the start and every chunk it has not had
    /// of each reply in flight, and the end of each it saw start that is no longer in flight.
    /// </summary>
    private async ValueTask CatchUpRepliesAsync(IRealtimeTransport transport, SessionTopic topic, CancellationToken cancellation)
    {
        var replies = await _calls.ReadSessionAsync(topic.SessionId, grain => grain.ListRepliesAsync()).ConfigureAwait(false);
        foreach (var reply in replies.Where(r => r.Status == ReplyStatus.Streaming))
        {
            if (!topic.Replies.TryGetValue(reply.Id, out var next))
            {
                var started = JsonSerializer.SerializeToUtf8Bytes(reply with { Chunks = [] }, SessionsJsonContext.Default.Reply);
                await transport.WriteEventAsync(topic, "reply_started", "reply", started, cancellation).ConfigureAwait(false);
            }

            for (var index = next; index < reply.Chunks.Count; index++)
            {
                await transport.WriteEventAsync(topic, "reply_chunk", "chunk", Frames.Chunk(reply.Id, index, reply.Chunks[index]), cancellation).ConfigureAwait(false);
            }

            topic.Replies[reply.Id] = reply.Chunks.Count;
        }

        foreach (var gone in topic.Replies.Keys.Where(id => !replies.Any(r => r.Id == id && r.Status == ReplyStatus.Streaming)).ToList())
        {
            var next = topic.Replies[gone];
            topic.Replies.Remove(gone);
            if (replies.FirstOrDefault(r => r.Id == gone) is { } ended)
            {
                // Ended meanwhile: the chunks the client has not had, then the end.
                for (var index = next; index < ended.Chunks.Count; index++)
                {
                    await transport.WriteEventAsync(topic, "reply_chunk", "chunk", Frames.Chunk(ended.Id, index, ended.Chunks[index]), cancellation).ConfigureAwait(false);
                }

                var end = JsonSerializer.SerializeToUtf8Bytes(ended with { Chunks = [] }, SessionsJsonContext.Default.Reply);
                await transport.WriteEventAsync(topic, "reply_ended", "reply", end, cancellation).ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask WriteSnapshotAsync(IRealtimeTransport transport, InboxTopic topic, InboxSnapshot snapshot, CancellationToken cancellation)
    {
        await transport.WriteControlAsync(Frames.InboxSnapshot(topic.Name, snapshot), cancellation).ConfigureAwait(false);
        topic.SnapshotWritten(snapshot.Version);
    }

    /// <summary>Before its start a topic only remembers how far the log is known to go; true when it did so.</summary>
    private static bool Hold(SessionTopic topic, long seq)
    {
        if (topic.Started)
        {
            return false;
        }

        topic.SeenBeforeStart = Math.Max(topic.SeenBeforeStart, seq);
        return true;
    }

    /// <summary>Writes the messages after <see cref="SessionTopic.LastSent"/> up to <paramref name="toSeq"/>, read from the grain.</summary>
    private async ValueTask FillAsync(IRealtimeTransport transport, SessionTopic topic, long toSeq, CancellationToken cancellation)
    {
        while (topic.LastSent < toSeq && !topic.Ended)
        {
            var limit = (int)Math.Min(_pageSize, toSeq - topic.LastSent);
            var query = new MessageQuery(topic.LastSent, toSeq + 1, limit);
            var page = await _calls.ReadSessionAsync(topic.SessionId, grain => grain.ListMessagesAsync(query)).ConfigureAwait(false);
            if (page.Messages.Count == 0)
            {
                return;
            }

            foreach (var message in page.Messages)
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(message, SessionsJsonContext.Default.ChatMessage);
                await transport.WriteMessageAsync(topic, message.Seq, json, cancellation).ConfigureAwait(false);
                topic.LastSent = message.Seq;
            }
        }
    }

    public void Dispose()
    {
        _onDispose(this);
        _ended.Dispose();
    }
}
