namespace Sessions.Grains.Webhooks;

/// <summary>
/// One attempt at one delivery, as the dispatcher hands it to <see cref="WebhookSender.SendAsync"/>.
/// </summary>
/// <param name="DeliveryId">The <c>webhook-id</c>: the same on every attempt of a delivery, so the receiver can dedupe.</param>
/// <param name="AgentId">The endpoint's key: attempts of one agent share one circuit breaker.</param>
/// <param name="Url">An absolute http or https URL (checked again at connect time against the address policy).</param>
/// <param name="Body">The delivery's JSON, rendered by the caller; signed and sent byte for byte.</param>
/// <param name="Secrets">The <c>whsec_</c> secrets that sign: one, or the new and the old one during a rotation's grace.</param>
/// <param name="Timeout">The bound on the whole attempt: connecting, sending and reading the response (streamed replies too).</param>
public sealed record WebhookAttemptRequest(
    string DeliveryId,
    string AgentId,
    Uri Url,
    ReadOnlyMemory<byte> Body,
    IReadOnlyList<string> Secrets,
    TimeSpan Timeout);
