namespace Sessions.Storage.Messages;

/// <summary>How <see cref="AppendBatcher"/> groups concurrent appends into shared statements.</summary>
internal sealed record AppendBatchOptions
{
    public static AppendBatchOptions Default { get; } = new();

    /// <summary>The most appends one statement carries.</summary>
    /// <value>64: past that a statement takes long enough that splitting it lets the next one start sooner.</value>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>How many append statements may be in flight at once, each on its own connection.</summary>
    /// <value>2: one batch commits while the next forms and runs; more only makes batches smaller (see the benchmark).</value>
    public int MaxBatchesInFlight { get; init; } = 2;

    public AppendBatchOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchesInFlight, 1, nameof(MaxBatchesInFlight));
        return this;
    }
}
