namespace Sessions.Grains.Webhooks;

/// <summary>Thrown by <see cref="WebhookConnector"/> when every address of a webhook's host is refused by the policy.</summary>
internal sealed class WebhookAddressRefusedException(string reason) : Exception($"address refused: {reason}");
