using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class WebhookAddressPolicyAtSendTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Without_allow_loopback_a_loopback_webhook_is_refused_at_connect_time_and_nothing_reaches_it(string host)
    {
        await using var sink = await WebhookSink.StartAsync(200);
        using var sender = Senders.Create(options => options.AllowLoopback = false);

        var result = await sender.SendAsync(Senders.Request(new Uri($"http://{host}:{sink.Port}/hook")));

        Assert.Equal((WebhookAttemptOutcome.Rejected, (int?)null), (result.Outcome, result.StatusCode));
        Assert.StartsWith("address refused: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("loopback", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, sink.Count);
    }

    [Fact]
    public async Task With_allow_loopback_the_same_webhook_by_name_is_delivered()
    {
        await using var sink = await WebhookSink.StartAsync(200);
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(new Uri($"http://localhost:{sink.Port}/hook")));

        Assert.Equal(WebhookAttemptOutcome.Delivered, result.Outcome);
        Assert.Equal(1, sink.Count);
    }
}
