namespace Sessions.Testing;

/// <summary>
/// The per-caller rate limits raised out of the way: every test gateway and silo process runs with them (the tests
/// and benchmarks append, connect and hold connections far faster than one real client would, all as one caller);
/// the rate limit tests set their own low ones on top.
/// </summary>
public static class TestRateLimits
{
    private static readonly (string Name, string Value)[] Raised =
    [
        ("AppendsPerSecond", "1000000"),
        ("AppendBurst", "1000000"),
        ("ConnectsPerMinute", "60000000"),
        ("ConnectBurst", "1000000"),
        ("MaxConnectionsPerCaller", "1000000"),
    ];

    /// <summary>As configuration keys (<c>Sessions:RateLimits:…</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsConfiguration() =>
        Raised.Select(r => new KeyValuePair<string, string?>($"Sessions:RateLimits:{r.Name}", r.Value));

    /// <summary>As environment variables (<c>Sessions__RateLimits__…</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsEnvironment() =>
        Raised.Select(r => new KeyValuePair<string, string?>($"Sessions__RateLimits__{r.Name}", r.Value));
}
