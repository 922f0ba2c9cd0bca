using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sessions.Grains;

/// <summary>
/// The product's own instruments (System.Diagnostics.Metrics, meter <see cref="Name"/>); the gateway's <c>/metrics</c>
/// renders every instrument of this meter in the Prometheus text format, and any OpenTelemetry or dotnet-counters
/// listener can read them too.
/// </summary>
public static class SessionsMeter
{
    public const string Name = SessionsCluster.MeterName;

    private static readonly Meter Meter = new(Name);

    /// <summary>Webhook delivery attempts, tagged <c>result</c>: <c>success</c>, <c>retry</c> (a retryable failure with an attempt left) or <c>failure</c>.</summary>
    public static readonly Counter<long> WebhookAttempts = Meter.CreateCounter<long>("sessions_webhook_attempts", description: "Webhook delivery attempts, by result (success, retry, failure).");

    /// <summary>Deliveries that ended, tagged <c>outcome</c>: <c>succeeded</c> or <c>failed</c> (dead-lettered).</summary>
    public static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>("sessions_webhook_deliveries", description: "Webhook deliveries that ended, by outcome (succeeded, failed).");

    /// <summary>How long one attempt took, from connecting to the end of the response.</summary>
    public static readonly Histogram<double> WebhookAttemptSeconds = Meter.CreateHistogram<double>("sessions_webhook_attempt_duration", unit: "s", description: "Duration of webhook delivery attempts.");

    /// <summary>Lag: from the creation of a delivery's oldest message to the delivery's success.</summary>
    public static readonly Histogram<double> WebhookLagSeconds = Meter.CreateHistogram<double>("sessions_webhook_lag", unit: "s", description: "From the creation of a delivery's oldest message to its success.");

    public static TagList Tag(string key, string value) => new() { { key, value } };
}
