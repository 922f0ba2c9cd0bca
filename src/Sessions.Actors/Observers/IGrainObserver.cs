namespace Sessions.Actors;

/// <summary>
/// Marker for observer interfaces: objects that live on one silo and receive calls from grains anywhere in the
/// cluster (the realtime gateway subscribes this way). Methods return Task; each call crosses the same JSON boundary.
/// </summary>
public interface IGrainObserver;

/// <summary>
/// A serializable handle to an observer object: the silo that hosts it and its id there. Grains keep these and
/// turn them into callable proxies with <see cref="IGrainFactory.GetObserver{T}"/>.
/// </summary>
public sealed record ObserverReference(string Silo, string Id);
