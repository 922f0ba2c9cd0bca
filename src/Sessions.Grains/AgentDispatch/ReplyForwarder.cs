using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sessions.Abstractions;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains;

/// <summary>
/// Forwards an agent's NDJSON webhook response into a streamed reply of the session while it arrives: opened at the
/// first chunk, each chunk appended as it comes, finished into one message (idempotent by <c>reply:{id}</c>) at a
/// clean end, or stopped with the text so far kept when the stream breaks.
/// </summary>
internal sealed partial class ReplyForwarder(IChatSessionGrain session, string agentId, Guid deliveryId, int attempt, ILogger logger) : IWebhookReplySink
{
    private string? _replyId;

    public async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        // The reply's id names the attempt: an attempt retried after a crash streams into a reply of its own.
        using var metadata = JsonDocument.Parse($$"""{"delivery_id":"{{deliveryId}}","attempt":{{attempt}}}""");
        var reply = await session.StartReplyAsync(new StartReplyCommand(agentId, $"d-{deliveryId:N}-{attempt}", "text", metadata.RootElement.Clone()));
        _replyId = reply.Id;
    }

    public async ValueTask OnChunkAsync(int index, string text, CancellationToken cancellationToken)
    {
        if (_replyId is { } id)
        {
            await session.AppendChunkAsync(id, new AppendChunkCommand(agentId, text, index));
        }
    }

    public async ValueTask OnEndAsync(bool completed, string? error, CancellationToken cancellationToken)
    {
        if (_replyId is not { } id)
        {
            return;
        }

        try
        {
            if (completed)
            {
                await session.FinishReplyAsync(id, new FinishReplyCommand(agentId, null, null));
            }
            else
            {
                LogStreamBroke(logger, session.GetPrimaryKeyString(), deliveryId, error);
                await session.StopReplyAsync(id, new StopReplyCommand(agentId, error ?? "the agent's stream broke"));
            }
        }
        catch (SessionException exception)
        {
            LogReplyNotEnded(logger, exception, session.GetPrimaryKeyString(), id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: the streamed reply of delivery {DeliveryId} broke off: {Error}")]
    private static partial void LogStreamBroke(ILogger logger, string sessionId, Guid deliveryId, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: reply {ReplyId} could not be ended.")]
    private static partial void LogReplyNotEnded(ILogger logger, Exception exception, string sessionId, string replyId);
}
