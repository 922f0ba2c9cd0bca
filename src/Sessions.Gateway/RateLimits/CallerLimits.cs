using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Sessions.Gateway.RateLimits;

/// <summary>
/// The per-caller limiters (System.Threading.RateLimiting, which ASP.NET's rate limiter middleware runs): appends,
/// shared by HTTP and WebSocket <c>send</c> so a caller has one bucket whichever way it writes; connects; open
/// connections. Partitions are made on first use and dropped by the library once idle.
/// </summary>
public sealed class CallerLimits : IDisposable
{
    /// <summary>The partition of requests that do not count against a limiter (no caller key is empty).</summary>
    internal const string Unlimited = "";

    public CallerLimits(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        Appends = PartitionedRateLimiter.Create<string, string>(caller => caller == Unlimited ? RateLimitPartition.GetNoLimiter(caller) : RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.AppendBurst,
            TokensPerPeriod = limits.AppendsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        }));

        // Refilled every second rather than once a minute, so a caller that used its burst gets a connection back
        // within seconds, not at the next minute.
        var connectsPerSecond = Math.Max(1, limits.ConnectsPerMinute / 60);
        var refill = TimeSpan.FromSeconds(connectsPerSecond * 60.0 / limits.ConnectsPerMinute);
        Connects = PartitionedRateLimiter.Create<string, string>(caller => caller == Unlimited ? RateLimitPartition.GetNoLimiter(caller) : RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.ConnectBurst,
            TokensPerPeriod = connectsPerSecond,
            ReplenishmentPeriod = refill,
            QueueLimit = 0,
        }));
        Connections = PartitionedRateLimiter.Create<string, string>(caller => caller == Unlimited ? RateLimitPartition.GetNoLimiter(caller) : RateLimitPartition.GetConcurrencyLimiter(caller, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.MaxConnectionsPerCaller,
            QueueLimit = 0,
        }));
    }

    /// <summary>One permit per message appended.</summary>
    public PartitionedRateLimiter<string> Appends { get; }

    /// <summary>One permit per connection opened.</summary>
    public PartitionedRateLimiter<string> Connects { get; }

    /// <summary>One permit held per open connection, for its whole life.</summary>
    public PartitionedRateLimiter<string> Connections { get; }

    public void Dispose()
    {
        Appends.Dispose();
        Connects.Dispose();
        Connections.Dispose();
    }
}
