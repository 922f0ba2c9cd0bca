using Microsoft.AspNetCore.Http;
using Sessions.Grains.Webhooks;
using Sessions.Testing.Cluster;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class WebhookClassificationTests
{
    [Theory]
    [InlineData(200, WebhookAttemptOutcome.Delivered)]
    [InlineData(204, WebhookAttemptOutcome.Delivered)]
    [InlineData(400, WebhookAttemptOutcome.Rejected)]
    [InlineData(404, WebhookAttemptOutcome.Rejected)]
    [InlineData(408, WebhookAttemptOutcome.Retryable)]
    [InlineData(410, WebhookAttemptOutcome.Gone)]
    [InlineData(429, WebhookAttemptOutcome.Retryable)]
    [InlineData(500, WebhookAttemptOutcome.Retryable)]
    [InlineData(503, WebhookAttemptOutcome.Retryable)]
    public async Task A_status_classifies_as_documented(int status, WebhookAttemptOutcome expected)
    {
        var body = status == 204 ? null : """{"detail":"why"}""";
        await using var sink = await WebhookSink.StartAsync(status, body);
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal((expected, status), (result.Outcome, result.StatusCode));
        Assert.Equal(expected == WebhookAttemptOutcome.Delivered, result.Error is null);
        Assert.Equal(expected == WebhookAttemptOutcome.Retryable, result.ShouldRetry);
        Assert.Equal(body, result.ResponseExcerpt);
        Assert.Null(result.RetryAfter);
        Assert.True(result.Latency > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_429_with_retry_after_in_seconds_asks_for_that_wait()
    {
        await using var sink = await WebhookSink.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "120";
            return Task.CompletedTask;
        });
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal((WebhookAttemptOutcome.Retryable, 429, TimeSpan.FromSeconds(120)), (result.Outcome, result.StatusCode, result.RetryAfter));
    }

    [Fact]
    public async Task A_429_with_retry_after_as_a_date_asks_for_the_time_until_then()
    {
        var until = DateTimeOffset.UtcNow.AddMinutes(5);
        await using var sink = await WebhookSink.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = until.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal(WebhookAttemptOutcome.Retryable, result.Outcome);
        Assert.InRange(result.RetryAfter!.Value, TimeSpan.FromSeconds(290), TimeSpan.FromSeconds(300));
    }

    [Fact]
    public async Task A_receiver_slower_than_the_timeout_is_a_retryable_timeout()
    {
        await using var sink = await WebhookSink.StartAsync(async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url, timeout: Senders.ShortTimeout));

        Assert.Equal((WebhookAttemptOutcome.Retryable, (int?)null), (result.Outcome, result.StatusCode));
        Assert.StartsWith("timed out after 500 ms", result.Error, StringComparison.Ordinal);
        Assert.InRange(result.Latency, Senders.ShortTimeout, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_connection_dropped_by_the_receiver_is_a_retryable_network_error()
    {
        await using var sink = await WebhookSink.StartAsync((context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal((WebhookAttemptOutcome.Retryable, (int?)null), (result.Outcome, result.StatusCode));
        Assert.StartsWith("network error:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_dropped_halfway_is_a_retryable_network_error()
    {
        await using var sink = await WebhookSink.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"messages":[""");
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        // Whether the headers got out before the abort is up to the socket (the streamed-reply tests drop a response
        // that has certainly begun); either way the body never arrived whole.
        Assert.Equal(WebhookAttemptOutcome.Retryable, result.Outcome);
        Assert.Contains(result.StatusCode, new int?[] { null, 200 });
        Assert.StartsWith("network error:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_is_a_retryable_network_error()
    {
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(new Uri($"http://127.0.0.1:{FreePorts.Next()}/hook")));

        Assert.Equal((WebhookAttemptOutcome.Retryable, (int?)null), (result.Outcome, result.StatusCode));
        Assert.Contains("refused", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_fails_without_retries()
    {
        await using var sink = await WebhookSink.StartAsync((context, _) =>
        {
            context.Response.Redirect("/elsewhere", permanent: true, preserveMethod: true);
            return Task.CompletedTask;
        });
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal((WebhookAttemptOutcome.Rejected, (int?)StatusCodes.Status308PermanentRedirect), (result.Outcome, result.StatusCode));
        Assert.Contains("redirect to /elsewhere not followed", result.Error, StringComparison.Ordinal);
        Assert.Equal(["/hook"], sink.Received.Select(request => request.Path));
    }
}
