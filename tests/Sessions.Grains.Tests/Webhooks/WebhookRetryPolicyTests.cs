using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class WebhookRetryPolicyTests
{
    private static readonly WebhookRetryPolicy Policy = new(MaxAttempts: 8, BaseDelay: TimeSpan.FromSeconds(1), MaxDelay: TimeSpan.FromMinutes(10));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(10, 512)]
    [InlineData(11, 600)]
    [InlineData(1000, 600)]
    public void The_nominal_wait_doubles_from_the_base_up_to_the_max(int failedAttempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Policy.Nominal(failedAttempts));

    [Fact]
    public void Jitter_draws_the_wait_between_half_the_nominal_and_the_nominal()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Policy.DelayBeforeRetry(3, null, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(3), Policy.DelayBeforeRetry(3, null, jitter: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(4), Policy.DelayBeforeRetry(3, null, jitter: 1));

        var drawn = Enumerable.Range(0, 200).Select(_ => Policy.DelayBeforeRetry(3, null)).ToList();
        Assert.All(drawn, delay => Assert.InRange(delay, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)));
        Assert.True(drawn.Distinct().Count() > 1, "the jitter never varied");
    }

    [Fact]
    public void Retry_after_replaces_the_backoff_and_is_capped_at_the_max()
    {
        Assert.Equal(TimeSpan.FromSeconds(42), Policy.DelayBeforeRetry(1, TimeSpan.FromSeconds(42)));
        Assert.Equal(TimeSpan.FromMinutes(10), Policy.DelayBeforeRetry(1, TimeSpan.FromHours(3)));
        Assert.Equal(TimeSpan.Zero, Policy.DelayBeforeRetry(5, TimeSpan.FromSeconds(-3)));
    }

    [Fact]
    public void Attempts_are_counted_against_the_maximum_and_the_defaults_come_from_the_options()
    {
        Assert.True(Policy.HasAttemptsLeft(7));
        Assert.False(Policy.HasAttemptsLeft(8));
        Assert.Equal(new WebhookRetryPolicy(8, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)), WebhookRetryPolicy.From(new WebhookOptions()));
    }
}
