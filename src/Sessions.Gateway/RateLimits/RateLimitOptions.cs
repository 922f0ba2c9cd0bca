namespace Sessions.Gateway.RateLimits;

/// <summary>
/// Per-caller limits (<c>Sessions:RateLimits</c>): a caller is a token (each admin key and each participant token its
/// own), or, for a request without one, its remote address. A request over a limit is a <c>429</c> with
/// <c>Retry-After</c>; a WebSocket <c>send</c> over it an error frame of the same code.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Sessions:RateLimits";

    /// <summary>
    /// Messages a caller may append per second, over HTTP and WebSocket <c>send</c> together (one token bucket,
    /// refilled every second).
    /// </summary>
    /// <value>20.</value>
    public int AppendsPerSecond { get; set; } = 20;

    /// <summary>How many appends a caller may send at once after a quiet spell: the bucket's size.</summary>
    /// <value>100.</value>
    public int AppendBurst { get; set; } = 100;

    /// <summary>WebSocket and Server-Sent Events connections a caller may open per minute (a token bucket refilled every second).</summary>
    /// <value>60.</value>
    public int ConnectsPerMinute { get; set; } = 60;

    /// <summary>How many connections a caller may open at once after a quiet spell.</summary>
    /// <value>20.</value>
    public int ConnectBurst { get; set; } = 20;

    /// <summary>WebSocket and Server-Sent Events connections a caller may hold open at the same time.</summary>
    /// <value>100.</value>
    public int MaxConnectionsPerCaller { get; set; } = 100;

    internal bool IsValid() =>
        AppendsPerSecond > 0 && AppendBurst > 0 && ConnectsPerMinute > 0 && ConnectBurst > 0 && MaxConnectionsPerCaller > 0;
}
