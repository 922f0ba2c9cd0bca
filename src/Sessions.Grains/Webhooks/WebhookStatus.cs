using System.Net.Http.Headers;

namespace Sessions.Grains.Webhooks;

/// <summary>How an HTTP status classifies (the table is on <see cref="WebhookAttemptOutcome"/>), and the wait it asks for.</summary>
internal static class WebhookStatus
{
    public static WebhookAttemptOutcome Classify(int status) => status switch
    {
        >= 200 and < 300 => WebhookAttemptOutcome.Delivered,
        410 => WebhookAttemptOutcome.Gone,
        408 or 429 or >= 500 => WebhookAttemptOutcome.Retryable,
        _ => WebhookAttemptOutcome.Rejected,
    };

    /// <summary><c>Retry-After</c> as a wait from now: delta-seconds, or an HTTP date (a date already past means now).</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    public static string Describe(int status, string? reason) => $"HTTP {status}{(string.IsNullOrEmpty(reason) ? "" : " " + reason)}";
}
