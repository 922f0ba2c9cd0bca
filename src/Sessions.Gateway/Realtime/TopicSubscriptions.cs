using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Calls;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// Starts and ends one connection's subscriptions to sessions, the same way for WebSocket and SSE: attach to the
/// session's feed, decide from where the client is served, and queue the confirmation with the replay after it.
/// </summary>
public sealed class TopicSubscriptions(SessionFeeds feeds, InboxFeeds inboxes, GrainCalls calls, IOptions<RealtimeOptions> options)
{
    /// <summary>The reason of a resume from a cursor beyond the log's end: served from the end.</summary>
    public const string CursorAhead = "cursor-ahead";

    private long _count;

    /// <summary>How many topic subscriptions (session and inbox, over every connection) are open on this gateway.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The reason of a resume further behind than <see cref="RealtimeOptions.MaxReplayMessages"/>: served from the end.</summary>
    public const string TooFarBehind = "too-far-behind";

    /// <summary>
    /// Subscribes the connection to session <paramref name="sessionId"/>: after <paramref name="afterSeq"/> (exclusive),
    /// or live from the log's end when it is null. Fails like the grain (session-not-found).
    /// </summary>
    internal async Task<SessionTopic> SubscribeAsync(RealtimeConnection connection, string sessionId, long? afterSeq)
    {
        var topic = new SessionTopic(sessionId, connection, afterSeq ?? 0);
        var head = (await feeds.AttachAsync(sessionId, topic).ConfigureAwait(false)).Head;
        string? notRecovered = null;
        if (afterSeq is { } after && after > head)
        {
            // The feed may lag the log by an event in flight: only the grain's word makes a cursor "ahead".
            try
            {
                head = Math.Max(head, (await calls.ReadSessionAsync(sessionId, grain => grain.GetAsync()).ConfigureAwait(false)).LastSeq);
            }
            catch
            {
                feeds.Detach(sessionId, topic);
                throw;
            }

            notRecovered = after > head ? CursorAhead : null;
        }
        else if (afterSeq is { } behind && head - behind > options.Value.MaxReplayMessages)
        {
            notRecovered = TooFarBehind;
        }

        if (afterSeq is null || notRecovered is not null)
        {
            topic.LastSent = head;
        }

        connection.Enqueue(new TopicStart(topic, Frames.Subscribed(topic.Name, afterSeq, head, notRecovered), head));
        Interlocked.Increment(ref _count);
        return topic;
    }

    /// <summary>Subscribes the connection to the inbox of <paramref name="participantId"/>: a snapshot, then deltas.</summary>
    internal async Task<InboxTopic> SubscribeInboxAsync(RealtimeConnection connection, string participantId)
    {
        var topic = new InboxTopic(participantId, connection);
        var feed = await inboxes.AttachAsync(participantId, topic).ConfigureAwait(false);
        try
        {
            var snapshot = await inboxes.SnapshotAsync(feed).ConfigureAwait(false);
            connection.Enqueue(new InboxSnapshotOut(topic, snapshot, Frames.InboxSubscribed(topic.Name, snapshot.Version)));
        }
        catch
        {
            inboxes.Detach(participantId, topic);
            throw;
        }

        Interlocked.Increment(ref _count);
        return topic;
    }

    internal void Unsubscribe(InboxTopic topic)
    {
        if (!topic.Ended)
        {
            topic.Ended = true;
            Interlocked.Decrement(ref _count);
        }

        inboxes.Detach(topic.ParticipantId, topic);
    }

    internal void Unsubscribe(SessionTopic topic)
    {
        if (!topic.Ended)
        {
            topic.Ended = true;
            Interlocked.Decrement(ref _count);
        }

        feeds.Detach(topic.SessionId, topic);
    }
}
