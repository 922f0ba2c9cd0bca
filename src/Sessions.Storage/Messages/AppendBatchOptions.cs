namespace Sessions.Storage.Messages;

/// <summary>How <see cref="AppendBatcher"/> groups concurrent appends into shared statements.</summary>
internal sealed record AppendBatchOptions
{
    public static AppendBatchOptions Default { get; } = new();

    /// <summary>The most appends one statement carries.</summary>
    /// <value>
    /// 64: bounds how long one statement holds its session rows. With 32 concurrent writers batches average about 10,
    /// so the cap only binds under heavier load (16, 64 and 256 measured alike in the benchmark).
    /// </value>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>How many append statements may be in flight at once, each on its own connection.</summary>
    /// <value>
    /// 2: a batch that waits for a session row (one another silo is writing) holds up only its own appends while the
    /// other slot keeps the rest of the process moving; with 1 it would hold up every append of the process. 1 did
    /// measure fastest on the 2-core benchmark (fewer, larger statements); 3 and 4 were no better than 2.
    /// </value>
    public int MaxBatchesInFlight { get; init; } = 2;
}
