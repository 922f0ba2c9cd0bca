using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>One inbox subscriber of this gateway, fed by the participant's <see cref="InboxFeed"/>. Never blocks.</summary>
public interface IInboxSink
{
    void OnDelta(InboxDelta delta);

    /// <summary>Deltas were missed (a renewal found the inbox further along): here is the whole of it again.</summary>
    void OnResync(InboxSnapshot snapshot);
}

/// <summary>The one subscription of this gateway to one participant's inbox; it tracks the newest version seen.</summary>
public sealed class InboxFeed(string participantId) : Feed<IInboxSink>(participantId), IInboxObserver
{
    private long _version = -1;

    /// <summary>This feed as a grain observer.</summary>
    internal IInboxObserver? Reference { get; set; }

    public Task OnInboxChangedAsync(InboxDelta delta)
    {
        RaiseTo(ref _version, delta.Version);
        foreach (var sink in Sinks)
        {
            sink.OnDelta(delta);
        }

        return Task.CompletedTask;
    }

    /// <summary>A (re)subscription's snapshot: if it is newer than every delta seen, some were missed.</summary>
    internal void OnSnapshot(InboxSnapshot snapshot)
    {
        if (RaiseTo(ref _version, snapshot.Version))
        {
            foreach (var sink in Sinks)
            {
                sink.OnResync(snapshot);
            }
        }
    }
}
