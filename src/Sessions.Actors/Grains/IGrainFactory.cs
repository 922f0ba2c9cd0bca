namespace Sessions.Actors;

/// <summary>Hands out references to grains. A reference is cheap, holds no activation and may be used from any thread.</summary>
public interface IGrainFactory
{
    /// <summary>Returns a reference to the grain of interface <typeparamref name="TGrainInterface"/> with the given key.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;

    /// <summary>Registers <paramref name="observer"/> on this process so grains anywhere can call it through the returned reference.</summary>
    ObserverReference CreateObjectReference<TObserver>(TObserver observer) where TObserver : IGrainObserver;

    /// <summary>Stops delivering calls to the observer; later calls fail with <see cref="RuntimeErrors.ObserverGone"/>.</summary>
    void DeleteObjectReference(ObserverReference reference);

    /// <summary>A callable proxy for an observer, wherever in the cluster it lives.</summary>
    TObserver GetObserver<TObserver>(ObserverReference reference) where TObserver : IGrainObserver;
}
