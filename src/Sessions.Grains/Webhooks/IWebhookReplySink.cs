namespace Sessions.Grains.Webhooks;

/// <summary>
/// Receives an NDJSON reply (<c>application/x-ndjson</c>) while it is still arriving, so the dispatcher can forward it
/// into a streamed reply of the session. The sender calls <see cref="OnStartAsync"/> once before the first chunk, then
/// <see cref="OnChunkAsync"/> for each non-empty <c>{"type":"chunk","text":"..."}</c> line in order (index 0, 1, ...),
/// then <see cref="OnEndAsync"/> exactly once: completed at a clean end of the stream, not completed with the reason when
/// the stream broke, timed out, grew too large or held a malformed line. A stream without chunks calls nothing.
/// An exception from the sink stops reading the reply (the delivery itself still counts as delivered). The sink is called
/// on the context that awaits <see cref="WebhookSender.SendAsync"/>: a grain's sink runs on that grain's scheduler.
/// </summary>
public interface IWebhookReplySink
{
    ValueTask OnStartAsync(CancellationToken cancellationToken);

    ValueTask OnChunkAsync(int index, string text, CancellationToken cancellationToken);

    ValueTask OnEndAsync(bool completed, string? error, CancellationToken cancellationToken);
}
