using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Sessions.Grains.Webhooks;

public sealed partial class WebhookSender
{
    /// <summary>
    /// The circuit breaker sits outside the timeout so that a timed-out attempt counts as a failure of the endpoint.
    /// Only retryable failures count: a 404 says the request is wrong, not that the endpoint is down.
    /// </summary>
    private void ConfigurePipeline(ResiliencePipelineBuilder<WebhookAttemptResult> builder, string agentId)
    {
        var circuit = options.CircuitBreaker;
        builder.TimeProvider = time;
        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<WebhookAttemptResult>
            {
                FailureRatio = circuit.FailureRatio,
                MinimumThroughput = circuit.MinimumThroughput,
                SamplingDuration = circuit.SamplingDuration,
                BreakDuration = circuit.BreakDuration,
                ShouldHandle = static arguments => ValueTask.FromResult(arguments.Outcome switch
                {
                    { Exception: TimeoutRejectedException } => true,
                    { Result.Outcome: WebhookAttemptOutcome.Retryable } => true,
                    _ => false,
                }),
                OnOpened = arguments =>
                {
                    LogCircuitOpened(logger, agentId, arguments.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogCircuitClosed(logger, agentId);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = arguments => ValueTask.FromResult(arguments.Context.Properties.GetValue(AttemptTimeout, options.DefaultTimeout)),
            });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook circuit of agent {AgentId} opened: nothing is sent to it for {BreakDuration}")]
    private static partial void LogCircuitOpened(ILogger logger, string agentId, TimeSpan breakDuration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook circuit of agent {AgentId} closed: its endpoint answers again")]
    private static partial void LogCircuitClosed(ILogger logger, string agentId);
}
