using Microsoft.Extensions.Logging;
using Sessions.Actors;

namespace Sessions.Client;

/// <summary>How a <see cref="SessionsClusterClient"/> finds and talks to the cluster.</summary>
public sealed class ClusterClientOptions
{
    /// <summary>The cluster's PostgreSQL (the one its silos use): the client reads the membership table there.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Which cluster of that database (the silos' <c>SESSIONS_CLUSTER_ID</c>).</summary>
    /// <value><c>default</c>.</value>
    public string ClusterId { get; init; } = "default";

    /// <summary>How long a call may take before the caller gets a <see cref="TimeoutException"/>.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the membership table is reread, and other transport settings.</summary>
    public Action<ClusterOptions>? Cluster { get; init; }

    /// <summary>Where the client logs; none by default.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
