using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// Receives an inbox's changes (a gateway that pushes them to WebSocket or SSE clients). Deltas carry the inbox's
/// <see cref="InboxDelta.Version"/>: apply one only if it is newer than what the receiver holds.
/// </summary>
[Alias("Sessions.IInboxObserver")]
public interface IInboxObserver : IGrainObserver
{
    [OneWay, Alias("OnInboxChangedAsync")]
    Task OnInboxChangedAsync(InboxDelta delta);
}
