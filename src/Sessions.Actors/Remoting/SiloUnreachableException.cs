namespace Sessions.Actors;

/// <summary>A silo could not be connected to: the call was never delivered, so sending it elsewhere is safe.</summary>
public sealed class SiloUnreachableException(SiloAddress silo, Exception inner)
    : Exception($"Silo {silo} could not be reached: {inner.Message}", inner)
{
    public SiloAddress Silo { get; } = silo;
}
