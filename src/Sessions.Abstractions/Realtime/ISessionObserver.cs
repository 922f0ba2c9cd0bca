using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// A receiver of a session's events: one per gateway and session, whatever the number of connections it serves.
/// Events are sent one-way: a slow or vanished observer never delays the session. Observers are held with an expiry
/// (<see cref="IChatSessionGrain.SubscribeAsync"/> again before it runs out) and are lost when the session's grain
/// moves to another silo, so an observer also re-subscribes when the cluster loses a silo.
/// </summary>
[Alias("Sessions.ISessionObserver")]
public interface ISessionObserver : IGrainObserver
{
    [OneWay, Alias("OnSessionEventAsync")]
    Task OnSessionEventAsync(SessionEvent sessionEvent);
}
