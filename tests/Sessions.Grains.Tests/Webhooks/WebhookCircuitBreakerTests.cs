using Microsoft.Extensions.Time.Testing;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class WebhookCircuitBreakerTests
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);

    private static WebhookSender CreateSender(FakeTimeProvider clock) => Senders.Create(
        options => options.CircuitBreaker = new WebhookCircuitBreakerOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 3,
            SamplingDuration = TimeSpan.FromSeconds(60),
            BreakDuration = Break,
        },
        clock);

    [Fact]
    public async Task Repeated_failures_open_the_circuit_which_sends_nothing_until_the_break_is_over()
    {
        var healthy = false;
        await using var sink = await WebhookSink.StartAsync((context, _) =>
        {
            context.Response.StatusCode = Volatile.Read(ref healthy) ? 200 : 500;
            return Task.CompletedTask;
        });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var sender = CreateSender(clock);
        var request = Senders.Request(sink.Url, agentId: "agent-down");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(WebhookAttemptOutcome.Retryable, (await sender.SendAsync(request)).Outcome);
        }

        var rejected = await sender.SendAsync(request);
        Assert.Equal((WebhookAttemptOutcome.CircuitOpen, (int?)null, true), (rejected.Outcome, rejected.StatusCode, rejected.ShouldRetry));
        Assert.Equal(Break, rejected.RetryAfter);
        Assert.Equal(3, sink.Count);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(20), (await sender.SendAsync(request)).RetryAfter);
        Assert.Equal(3, sink.Count);

        Volatile.Write(ref healthy, true);
        clock.Advance(TimeSpan.FromSeconds(21));
        Assert.Equal(WebhookAttemptOutcome.Delivered, (await sender.SendAsync(request)).Outcome);
        Assert.Equal(WebhookAttemptOutcome.Delivered, (await sender.SendAsync(request)).Outcome);
        Assert.Equal(5, sink.Count);
    }

    [Fact]
    public async Task An_open_circuit_of_one_agent_does_not_stop_another_agent_on_the_same_host()
    {
        await using var sink = await WebhookSink.StartAsync((context, _) =>
        {
            context.Response.StatusCode = context.Request.Headers["webhook-id"].ToString().StartsWith("bad", StringComparison.Ordinal) ? 503 : 200;
            return Task.CompletedTask;
        });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var sender = CreateSender(clock);

        for (var i = 0; i < 4; i++)
        {
            await sender.SendAsync(Senders.Request(sink.Url, deliveryId: $"bad-{i}", agentId: "agent-down"));
        }

        Assert.Equal(WebhookAttemptOutcome.CircuitOpen, (await sender.SendAsync(Senders.Request(sink.Url, deliveryId: "bad-4", agentId: "agent-down"))).Outcome);
        Assert.Equal(WebhookAttemptOutcome.Delivered, (await sender.SendAsync(Senders.Request(sink.Url, agentId: "agent-up"))).Outcome);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    public async Task Failures_that_retrying_cannot_fix_do_not_open_the_circuit(int status)
    {
        await using var sink = await WebhookSink.StartAsync(status);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var sender = CreateSender(clock);
        var request = Senders.Request(sink.Url, agentId: "agent-wrong-url");

        for (var i = 0; i < 6; i++)
        {
            Assert.NotEqual(WebhookAttemptOutcome.CircuitOpen, (await sender.SendAsync(request)).Outcome);
        }

        Assert.Equal(6, sink.Count);
    }

    [Fact]
    public async Task Timeouts_count_as_failures_of_the_endpoint()
    {
        await using var sink = await WebhookSink.StartAsync(async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        using var sender = Senders.Create(options => options.CircuitBreaker = new WebhookCircuitBreakerOptions { MinimumThroughput = 2, BreakDuration = Break });
        var request = Senders.Request(sink.Url, agentId: "agent-slow", timeout: TimeSpan.FromMilliseconds(200));

        Assert.Equal(WebhookAttemptOutcome.Retryable, (await sender.SendAsync(request)).Outcome);
        Assert.Equal(WebhookAttemptOutcome.Retryable, (await sender.SendAsync(request)).Outcome);
        Assert.Equal(WebhookAttemptOutcome.CircuitOpen, (await sender.SendAsync(request)).Outcome);
        Assert.Equal(2, sink.Count);
    }

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var defaults = new WebhookOptions().CircuitBreaker;

        Assert.Equal((0.5, 5, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30)), (defaults.FailureRatio, defaults.MinimumThroughput, defaults.SamplingDuration, defaults.BreakDuration));
    }
}
