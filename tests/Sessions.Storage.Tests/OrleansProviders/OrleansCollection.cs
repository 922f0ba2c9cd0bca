namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>
/// The tests that start silos run one after another, and apart from every other test of the project: on a two-core
/// machine, silos of parallel tests — or the storage tests' own load — starved the thread pool for seconds, and a
/// joining silo's connectivity check to its peer in this very process timed out (seen in CI).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OrleansCollection
{
    public const string Name = "Orleans providers";
}
