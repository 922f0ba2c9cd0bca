namespace Sessions.Benchmarks;

/// <summary>
/// What one timed load produced: operations per second and latency percentiles in milliseconds, and, when measured, the
/// CPU milliseconds the gateway process and PostgreSQL (all its processes) spent per operation.
/// </summary>
internal sealed record LoadResult(double PerSecond, double P50Ms, double P99Ms, long Errors)
{
    public double GatewayCpuMs { get; init; }

    public double PostgresCpuMs { get; init; }

    public static LoadResult Median(IReadOnlyList<LoadResult> rounds) => new(
        Middle(rounds.Select(r => r.PerSecond)),
        Middle(rounds.Select(r => r.P50Ms)),
        Middle(rounds.Select(r => r.P99Ms)),
        rounds.Sum(r => r.Errors))
    {
        GatewayCpuMs = Middle(rounds.Select(r => r.GatewayCpuMs)),
        PostgresCpuMs = Middle(rounds.Select(r => r.PostgresCpuMs)),
    };

    private static double Middle(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
