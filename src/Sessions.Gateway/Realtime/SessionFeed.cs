using System.Collections.Immutable;
using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// The one subscription of this gateway to one session: the grain's events come in here once and go out to every
/// local subscriber. It keeps the highest seq seen, so a subscriber that joins knows where the live part begins.
/// </summary>
internal sealed class SessionFeed(string sessionId) : ISessionObserver
{
    private ImmutableArray<ISessionSink> _sinks = [];
    private long _head = -1;

    public string SessionId { get; } = sessionId;

    /// <summary>This feed as a grain observer; set once it is registered with the runtime.</summary>
    public ISessionObserver? Reference { get; set; }

    /// <summary>The subscription in progress or done; null until the first attach, and again after it failed.</summary>
    public Task? Subscription { get; set; }

    public bool IsEmpty => _sinks.IsEmpty;

    /// <summary>The highest seq the session is known to have reached (-1 before the first subscription answered).</summary>
    public long Head => Interlocked.Read(ref _head);

    // Changed only under the SessionFeeds lock; read without it (an immutable array is swapped whole).
    public void Add(ISessionSink sink) => _sinks = _sinks.Add(sink);

    public void Remove(ISessionSink sink) => _sinks = _sinks.Remove(sink);

    public Task OnSessionEventAsync(SessionEvent sessionEvent)
    {
        Advance(sessionEvent.Seq);
        foreach (var sink in _sinks)
        {
            sink.OnEvent(sessionEvent);
        }

        return Task.CompletedTask;
    }

    /// <summary>A subscription (or its renewal) said where the log ends: subscribers behind it fill the gap.</summary>
    public void OnHead(long lastSeq)
    {
        if (Advance(lastSeq))
        {
            foreach (var sink in _sinks)
            {
                sink.OnHead(lastSeq);
            }
        }
    }

    private bool Advance(long seq)
    {
        var current = Interlocked.Read(ref _head);
        while (seq > current)
        {
            var seen = Interlocked.CompareExchange(ref _head, seq, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }
}
