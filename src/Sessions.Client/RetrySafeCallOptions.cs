using Polly;
using Polly.Retry;

namespace Sessions.Client;

/// <summary>
/// The resend schedule for calls that are safe to repeat (reads, and appends that carry a client_message_id) when they
/// fail because a silo died or a connection broke: exponential back-off with jitter. Enough attempts to outlast the
/// few seconds a cluster needs to declare a killed silo dead, after which the grain is activated on a survivor.
/// </summary>
public sealed class RetrySafeCallOptions
{
    /// <summary>Resends after the first attempt; 0 turns resending off.</summary>
    /// <value>12.</value>
    public int MaxRetryAttempts { get; set; } = 12;

    /// <summary>The first back-off; each later one doubles, up to <see cref="MaxDelay"/>.</summary>
    /// <value>100 ms.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest back-off between two attempts.</summary>
    /// <value>1 second.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A Polly retry on this schedule, resending the outcomes <paramref name="strategy"/>'s ShouldHandle picks.</summary>
    internal ResiliencePipeline<T> Pipeline<T>(RetryStrategyOptions<T> strategy)
    {
        if (MaxRetryAttempts <= 0)
        {
            return ResiliencePipeline<T>.Empty;
        }

        Schedule(strategy);
        return new ResiliencePipelineBuilder<T>().AddRetry(strategy).Build();
    }

    /// <inheritdoc cref="Pipeline{T}(RetryStrategyOptions{T})"/>
    internal ResiliencePipeline Pipeline(RetryStrategyOptions strategy)
    {
        if (MaxRetryAttempts <= 0)
        {
            return ResiliencePipeline.Empty;
        }

        Schedule(strategy);
        return new ResiliencePipelineBuilder().AddRetry(strategy).Build();
    }

    private void Schedule<T>(RetryStrategyOptions<T> strategy)
    {
        strategy.MaxRetryAttempts = MaxRetryAttempts;
        strategy.BackoffType = DelayBackoffType.Exponential;
        strategy.UseJitter = true;
        strategy.Delay = BaseDelay;
        strategy.MaxDelay = MaxDelay;
    }
}
