namespace Sessions.Grains.Webhooks;

/// <summary>
/// How an attempt ended, which decides what the dispatcher does next:
/// <list type="table">
/// <item><term><see cref="Delivered"/></term><description>a 2xx, and the whole response was read. Done (a malformed reply
/// body does not undo this: see <see cref="WebhookAttemptResult.ReplyError"/>).</description></item>
/// <item><term><see cref="Retryable"/></term><description>a network error (refused, reset, dropped before the response was
/// read to its end, name resolution), a timeout, 408, 429 or 5xx. Try again after
/// <see cref="WebhookRetryPolicy.DelayBeforeRetry(int, TimeSpan?)"/>, which honours
/// <see cref="WebhookAttemptResult.RetryAfter"/>.</description></item>
/// <item><term><see cref="Rejected"/></term><description>will fail the same way again: another 4xx, a 3xx (redirects are
/// not followed), an address the policy refuses, a response over <see cref="WebhookOptions.MaxResponseBytes"/>, a body over
/// <see cref="WebhookOptions.MaxRequestBytes"/>. The delivery fails without retries.</description></item>
/// <item><term><see cref="Gone"/></term><description>410: the agent says the endpoint is gone for good; disable the
/// agent.</description></item>
/// <item><term><see cref="CircuitOpen"/></term><description>nothing was sent: the agent's circuit breaker is open after
/// repeated retryable failures. Try again after <see cref="WebhookAttemptResult.RetryAfter"/> (the break's remaining
/// time) or the usual backoff; whether this consumes one of the delivery's attempts is the caller's choice.</description></item>
/// </list>
/// </summary>
public enum WebhookAttemptOutcome
{
    Delivered,
    Retryable,
    Rejected,
    Gone,
    CircuitOpen,
}
