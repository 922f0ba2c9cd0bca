using Microsoft.AspNetCore.Builder;

namespace Sessions.Gateway.RateLimits;

/// <summary>Endpoint metadata: which per-caller limit a route counts against (<see cref="CallerLimits"/>).</summary>
public sealed class CallerLimit
{
    /// <summary>An append of a message: a permit of the caller's append bucket.</summary>
    public static readonly CallerLimit Appends = new("appends");

    /// <summary>A realtime connection: a permit of the connect bucket, and an open-connection permit for as long as it lasts.</summary>
    public static readonly CallerLimit Connects = new("connects");

    private CallerLimit(string name) => Name = name;

    public string Name { get; }

    public override string ToString() => Name;
}

public static class CallerLimitExtensions
{
    /// <summary>Counts the route's requests against <paramref name="limit"/> of their caller.</summary>
    public static TBuilder LimitedPerCaller<TBuilder>(this TBuilder builder, CallerLimit limit)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(limit);
}
