using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// The one subscription of this gateway to one session. It keeps the highest seq seen, so a subscriber that joins
/// knows where the live part begins.
/// </summary>
public sealed class SessionFeed(string sessionId) : Feed<ISessionSink>(sessionId), ISessionObserver
{
    private long _head = -1;

    /// <summary>This feed as a grain observer.</summary>
    internal ISessionObserver? Reference { get; set; }

    /// <summary>The highest seq the session is known to have reached (-1 before the first subscription answered).</summary>
    public long Head => Interlocked.Read(ref _head);

    public Task OnSessionEventAsync(SessionEvent sessionEvent)
    {
        RaiseTo(ref _head, sessionEvent.Seq);
        foreach (var sink in Sinks)
        {
            sink.OnEvent(sessionEvent);
        }

        return Task.CompletedTask;
    }

    /// <summary>A subscription (or its renewal) said where the log ends: subscribers behind it fill the gap.</summary>
    internal void OnHead(long lastSeq)
    {
        if (RaiseTo(ref _head, lastSeq))
        {
            foreach (var sink in Sinks)
            {
                sink.OnHead(lastSeq);
            }
        }
    }
}
