namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>
/// The tests that start silos run one after another: on a two-core machine, silos of parallel tests would starve
/// each other's one-second probes and turn timing into flakiness.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OrleansCollection
{
    public const string Name = "Orleans providers";
}
