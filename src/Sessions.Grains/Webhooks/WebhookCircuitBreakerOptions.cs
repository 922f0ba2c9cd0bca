namespace Sessions.Grains.Webhooks;

/// <summary>
/// The per-agent circuit breaker (Polly): when, within <see cref="SamplingDuration"/>, at least
/// <see cref="MinimumThroughput"/> attempts were made to one agent and at least <see cref="FailureRatio"/> of them failed
/// retryably (network error, timeout, 408, 429, 5xx), the circuit opens: for <see cref="BreakDuration"/> no attempt to
/// that agent is sent (each ends as <see cref="WebhookAttemptOutcome.CircuitOpen"/>). Then one probe goes out; its
/// success closes the circuit, its failure opens it again. A dead endpoint thus costs one request per break, not one
/// per pending delivery. Non-retryable failures (other 4xx, refusals) do not count: retrying cannot fix them and they
/// say nothing about the endpoint's health. Bound from <c>Sessions:Webhooks:CircuitBreaker</c>.
/// </summary>
public sealed class WebhookCircuitBreakerOptions
{
    /// <summary>The share of failed attempts in the window that opens the circuit.</summary>
    /// <value>0.5.</value>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>How many attempts the window must hold before it may open the circuit (Polly's minimum is 2).</summary>
    /// <value>5: a single failing delivery retried a few times does not open it.</value>
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>The window over which failures are counted (Polly's minimum is 0.5 s).</summary>
    /// <value>60 seconds.</value>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit sends nothing (Polly's minimum is 0.5 s).</summary>
    /// <value>30 seconds.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
