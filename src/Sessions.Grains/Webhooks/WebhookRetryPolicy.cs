namespace Sessions.Grains.Webhooks;

/// <summary>
/// When to try a delivery again. The dispatcher waits on a grain timer or reminder between attempts; nothing here
/// sleeps. After the n-th failed attempt the nominal wait is <c>BaseDelay × 2^(n-1)</c>, capped at <c>MaxDelay</c>; the
/// actual wait is drawn uniformly from [nominal / 2, nominal] ("equal jitter"), so endpoints that failed together are not
/// retried together, and a retry never comes sooner than half the schedule. A <c>Retry-After</c> from the endpoint (or
/// the remaining break of an open circuit) replaces the backoff, without jitter, capped at <c>MaxDelay</c>.
/// </summary>
/// <param name="MaxAttempts">How many attempts a delivery gets, the first one included.</param>
/// <param name="BaseDelay">The nominal wait after the first failure.</param>
/// <param name="MaxDelay">The longest wait, whatever the schedule or a <c>Retry-After</c> says.</param>
public sealed record WebhookRetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>The defaults of <paramref name="options"/>, for agents that name no schedule of their own.</summary>
    public static WebhookRetryPolicy From(WebhookOptions options) =>
        new(options.DefaultMaxAttempts, options.DefaultRetryBaseDelay, options.DefaultMaxRetryDelay);

    /// <summary>Whether a delivery that has made <paramref name="attemptsMade"/> attempts may make another.</summary>
    public bool HasAttemptsLeft(int attemptsMade) => attemptsMade < MaxAttempts;

    /// <summary>The wait before the next attempt, after <paramref name="failedAttempts"/> (1 or more) have failed.</summary>
    public TimeSpan DelayBeforeRetry(int failedAttempts, TimeSpan? retryAfter) =>
        DelayBeforeRetry(failedAttempts, retryAfter, Random.Shared.NextDouble());

    /// <summary>As <see cref="DelayBeforeRetry(int, TimeSpan?)"/> with the jitter drawn by the caller: <paramref name="jitter"/> in [0, 1).</summary>
    public TimeSpan DelayBeforeRetry(int failedAttempts, TimeSpan? retryAfter, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        if (retryAfter is { } asked)
        {
            return asked < TimeSpan.Zero ? TimeSpan.Zero : Min(asked, MaxDelay);
        }

        var nominal = Nominal(failedAttempts);
        return nominal / 2 + nominal / 2 * Math.Clamp(jitter, 0, 1);
    }

    /// <summary>The wait before jitter: doubling from <see cref="BaseDelay"/>, computed in doubles so a large attempt number cannot overflow.</summary>
    public TimeSpan Nominal(int failedAttempts)
    {
        var ticks = BaseDelay.Ticks * Math.Pow(2, Math.Min(failedAttempts - 1, 62));
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
