using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Webhooks;

/// <summary>Senders and requests for the tests: loopback allowed (the sink lives there) and short timeouts.</summary>
internal static class Senders
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(500);

    public static WebhookSender Create(Action<WebhookOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new WebhookOptions { AllowLoopback = true, DefaultTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return new WebhookSender(Options.Create(options), time ?? TimeProvider.System, NullLogger<WebhookSender>.Instance);
    }

    public static WebhookAttemptRequest Request(
        Uri url, string body = """{"delivery":"d"}""", string? deliveryId = null, string agentId = "agent-1", TimeSpan? timeout = null, string[]? secrets = null) =>
        new(deliveryId ?? $"dlv_{Guid.NewGuid():N}", agentId, url, System.Text.Encoding.UTF8.GetBytes(body), secrets ?? [Secret], timeout ?? TimeSpan.FromSeconds(10));

    public static Task<WebhookAttemptResult> SendAsync(this WebhookSender sender, WebhookAttemptRequest request, IWebhookReplySink? replies = null) =>
        sender.SendAsync(request, replies, CancellationToken.None);
}
