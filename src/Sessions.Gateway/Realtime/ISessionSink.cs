using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>One subscriber of a session on this gateway, fed by the session's <see cref="SessionFeed"/>. Never blocks.</summary>
public interface ISessionSink
{
    void OnEvent(SessionEvent sessionEvent);

    /// <summary>The session's log is known to reach <paramref name="lastSeq"/>: anything not yet delivered up to it is missing.</summary>
    void OnHead(long lastSeq);
}
