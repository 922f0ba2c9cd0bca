using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grains.Webhooks;
using StandardWebhooks;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class WebhookSigningOverHttpTests
{
    [Fact]
    public async Task The_receiver_verifies_the_posted_body_with_an_independent_standard_webhooks_library()
    {
        await using var sink = await WebhookSink.StartAsync(204);
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url, body: """{"messages":[{"seq":1,"text":"héllo"}]}"""));

        Assert.Equal(WebhookAttemptOutcome.Delivered, result.Outcome);
        var received = Assert.Single(sink.Received);
        new StandardWebhook(Senders.Secret).Verify(received.BodyText, received.Headers);
        Assert.Equal("application/json", received.Header("Content-Type"));
        Assert.Contains("Sessions", received.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Equal(result.SignedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), received.Header("webhook-timestamp"));
    }

    [Fact]
    public async Task A_retry_carries_the_same_webhook_id_and_a_fresh_timestamp_and_still_verifies()
    {
        await using var sink = await WebhookSink.StartAsync((context, number) =>
        {
            context.Response.StatusCode = number == 0 ? 503 : 200;
            return Task.CompletedTask;
        });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var sender = Senders.Create(time: clock);
        var request = Senders.Request(sink.Url, deliveryId: "dlv_same");

        var first = await sender.SendAsync(request);
        clock.Advance(TimeSpan.FromSeconds(7));
        var retry = await sender.SendAsync(request);

        Assert.Equal((WebhookAttemptOutcome.Retryable, WebhookAttemptOutcome.Delivered), (first.Outcome, retry.Outcome));
        var (a, b) = (sink.Received[0], sink.Received[1]);
        Assert.Equal(["dlv_same", "dlv_same"], new[] { a.Header("webhook-id"), b.Header("webhook-id") });
        Assert.Equal(7, long.Parse(b.Header("webhook-timestamp"), CultureInfo.InvariantCulture) - long.Parse(a.Header("webhook-timestamp"), CultureInfo.InvariantCulture));
        Assert.NotEqual(a.Header("webhook-signature"), b.Header("webhook-signature"));
        new StandardWebhook(Senders.Secret).Verify(a.BodyText, a.Headers);
        new StandardWebhook(Senders.Secret).Verify(b.BodyText, b.Headers);
    }
}
