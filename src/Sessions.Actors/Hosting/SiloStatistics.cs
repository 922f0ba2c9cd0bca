namespace Sessions.Actors;

/// <summary>What a silo can tell about itself, for health checks, metrics and tests.</summary>
public interface ISiloStatistics
{
    /// <summary>The number of live activations.</summary>
    int ActivationCount { get; }

    /// <summary>Deactivates every activation idle for longer than the collection age now, instead of at the next quantum.</summary>
    int CollectIdleActivations();
}

internal sealed class SiloStatistics(Catalog catalog) : ISiloStatistics
{
    public int ActivationCount => catalog.ActivationCount;

    public int CollectIdleActivations() => catalog.CollectIdleActivations();
}
