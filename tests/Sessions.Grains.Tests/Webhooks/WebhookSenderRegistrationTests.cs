using Microsoft.Extensions.DependencyInjection;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class WebhookSenderRegistrationTests
{
    [Fact]
    public async Task The_registered_sender_is_one_per_container_and_sends()
    {
        await using var sink = await WebhookSink.StartAsync(204);
        var services = new ServiceCollection().AddLogging().AddWebhookSender();
        services.Configure<WebhookOptions>(options => options.AllowLoopback = true);
        await using var provider = services.BuildServiceProvider();

        var sender = provider.GetRequiredService<WebhookSender>();

        Assert.Same(sender, provider.GetRequiredService<WebhookSender>());
        Assert.Equal(WebhookAttemptOutcome.Delivered, (await sender.SendAsync(Senders.Request(sink.Url))).Outcome);
    }

    [Fact]
    public async Task A_timeout_beyond_the_maximum_is_cut_to_it()
    {
        await using var sink = await WebhookSink.StartAsync(async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        using var sender = Senders.Create(options => options.MaxTimeout = TimeSpan.FromMilliseconds(300));

        var result = await sender.SendAsync(Senders.Request(sink.Url, timeout: TimeSpan.FromHours(1)));

        Assert.Equal((WebhookAttemptOutcome.Retryable, "timed out after 300 ms"), (result.Outcome, result.Error));
    }
}
