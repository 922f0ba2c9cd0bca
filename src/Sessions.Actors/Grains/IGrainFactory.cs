namespace Sessions.Actors;

/// <summary>Hands out references to grains. A reference is cheap, holds no activation and may be used from any thread.</summary>
public interface IGrainFactory
{
    /// <summary>Returns a reference to the grain of interface <typeparamref name="TGrainInterface"/> with the given key.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;
}
