using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>One inbox subscriber of this gateway, fed by the participant's <see cref="InboxFeed"/>. Never blocks.</summary>
public interface IInboxSink
{
    void OnDelta(InboxDelta delta);

    /// <summary>
    /// Deltas were missed: here is the whole inbox again. <paramref name="repair"/>: a delta never came, so the snapshot
    /// must go out even if its version is not above what the subscriber has.
    /// </summary>
    void OnResync(InboxSnapshot snapshot, bool repair);
}

/// <summary>
/// The one subscription of this gateway to one participant's inbox. It tracks the newest version seen and the versions
/// skipped: an inbox numbers its changes one by one, so a delta that skips ahead means one is late (Orleans does not
/// order one-way calls) or lost. The next renewal resyncs the subscribers if any is still missing then.
/// </summary>
public sealed class InboxFeed(string participantId) : Feed<IInboxSink>(participantId), IInboxObserver
{
    /// <summary>How many skipped versions are remembered; beyond that the next renewal resyncs anyway.</summary>
    private const int MaxMissing = 1024;

    private readonly Lock _gate = new();
    private readonly HashSet<long> _missing = [];
    private long _version = -1;
    private bool _missingOverflow;

    /// <summary>This feed as a grain observer.</summary>
    internal IInboxObserver? Reference { get; set; }

    public Task OnInboxChangedAsync(InboxDelta delta)
    {
        lock (_gate)
        {
            if (_version >= 0 && delta.Version > _version + 1)
            {
                for (var skipped = _version + 1; skipped < delta.Version; skipped++)
                {
                    if (_missing.Count >= MaxMissing)
                    {
                        _missingOverflow = true;
                        break;
                    }

                    _missing.Add(skipped);
                }
            }

            _missing.Remove(delta.Version);
            _version = Math.Max(_version, delta.Version);
        }

        foreach (var sink in Sinks)
        {
            sink.OnDelta(delta);
        }

        return Task.CompletedTask;
    }

    /// <summary>A (re)subscription's snapshot: if it is newer than every delta seen, or some delta never came, some were missed.</summary>
    internal void OnSnapshot(InboxSnapshot snapshot)
    {
        bool missed;
        bool repair;
        lock (_gate)
        {
            repair = _missing.Count > 0 || _missingOverflow;
            missed = snapshot.Version > _version || repair;
            _version = Math.Max(_version, snapshot.Version);
            _missing.Clear();
            _missingOverflow = false;
        }

        if (missed)
        {
            foreach (var sink in Sinks)
            {
                sink.OnResync(snapshot, repair);
            }
        }
    }
}
