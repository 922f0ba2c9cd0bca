namespace Sessions.Grains.Webhooks;

/// <summary>What <see cref="NdjsonReplyReader"/> read from a streamed reply.</summary>
internal sealed record NdjsonReply(IReadOnlyList<WebhookReplyMessage> Replies, int ChunkCount, string? ReplyError, bool TooLarge, byte[] Head);
