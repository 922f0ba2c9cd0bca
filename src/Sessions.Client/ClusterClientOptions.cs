using Sessions.Abstractions;

namespace Sessions.Client;

/// <summary>How a client finds a Sessions cluster and how it treats calls that fail in transit.</summary>
public sealed class ClusterClientOptions
{
    /// <summary>The cluster's PostgreSQL (the one its silos use): the client finds the silos' gateways there.</summary>
    public required string ConnectionString { get; set; }

    /// <summary>Which cluster of that database (the silos' <c>SESSIONS_CLUSTER_ID</c>).</summary>
    /// <value><c>default</c>.</value>
    public string ClusterId { get; set; } = SessionsCluster.DefaultClusterId;

    /// <summary>The silos' <c>SESSIONS_SERVICE_ID</c>.</summary>
    /// <value><c>sessions</c>.</value>
    public string ServiceId { get; set; } = SessionsCluster.DefaultServiceId;

    /// <summary>
    /// How long a call may take before the caller gets a <see cref="TimeoutException"/> (a retry-safe call is sent
    /// again instead). This is also how long a call sent through a gateway that dies at that moment waits before it is
    /// resent: Orleans clients do not fail the calls in flight on a lost gateway connection.
    /// </summary>
    /// <value>5 seconds: every grain call of a session answers in milliseconds.</value>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the client rereads the list of gateways (silos it may connect to). A dead gateway is dropped as soon
    /// as its connection fails; new silos (a scale-out, a rolling restart) are found at the next read.
    /// </summary>
    /// <value>5 seconds.</value>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How calls that are safe to repeat are resent after a silo failure (see <see cref="RetrySafeCallOptions"/>).</summary>
    public RetrySafeCallOptions Retries { get; set; } = new();

    /// <summary>
    /// Mutual TLS to the gateways, for a cluster whose silos set <c>SESSIONS_ORLEANS_TLS_CERTIFICATE</c>: this
    /// client's certificate, issued by the silos' CA (see <see cref="OrleansTls"/>).
    /// </summary>
    /// <value>null: plain TCP, for silos without TLS.</value>
    public OrleansTlsFiles? Tls { get; set; }
}
