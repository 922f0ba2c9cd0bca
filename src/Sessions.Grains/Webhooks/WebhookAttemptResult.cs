namespace Sessions.Grains.Webhooks;

/// <summary>What one attempt did, ready for the delivery log and the dispatcher's next step.</summary>
/// <param name="Outcome">The classification (see <see cref="WebhookAttemptOutcome"/>).</param>
/// <param name="StatusCode">The HTTP status, or null when no response came (network error, timeout, refusal, open circuit).</param>
/// <param name="Latency">From the start of the attempt to its end (the whole response read).</param>
/// <param name="Error">Why it did not succeed, for the log; null when delivered.</param>
/// <param name="ResponseExcerpt">The response body's first bytes (at most <see cref="ExcerptBytes"/> of UTF-8, invalid bytes replaced), or null.</param>
/// <param name="RetryAfter">The wait the endpoint asked for (<c>Retry-After</c>, seconds or a date) or the open circuit's remaining break.</param>
/// <param name="Replies">Whole reply messages from a JSON body or from NDJSON <c>message</c> lines, in order.</param>
/// <param name="ReplyError">Why the reply part of a 2xx response could not be used (the delivery still counts as delivered).</param>
/// <param name="ChunkCount">How many non-empty NDJSON chunks the response held (each forwarded to the reply sink, when there is one).</param>
/// <param name="SignedAt">The <c>webhook-timestamp</c> this attempt carried.</param>
public sealed record WebhookAttemptResult(
    WebhookAttemptOutcome Outcome,
    int? StatusCode,
    TimeSpan Latency,
    string? Error,
    string? ResponseExcerpt,
    TimeSpan? RetryAfter,
    IReadOnlyList<WebhookReplyMessage> Replies,
    string? ReplyError,
    int ChunkCount,
    DateTimeOffset SignedAt)
{
    /// <summary>The most of a response body kept for the delivery log.</summary>
    public const int ExcerptBytes = 1024;

    /// <summary>Whether the dispatcher should schedule another attempt (given attempts left).</summary>
    public bool ShouldRetry => Outcome is WebhookAttemptOutcome.Retryable or WebhookAttemptOutcome.CircuitOpen;

    internal static WebhookAttemptResult Failed(WebhookAttemptOutcome outcome, string error, DateTimeOffset signedAt, int? status = null, string? excerpt = null) =>
        new(outcome, status, TimeSpan.Zero, error, excerpt, null, [], null, 0, signedAt);
}
