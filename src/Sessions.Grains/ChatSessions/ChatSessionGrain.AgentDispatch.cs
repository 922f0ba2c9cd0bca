using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// The session's side of agent delivery: each committed message the agent did not send is announced on the session's
/// stream, where the agent dispatcher (an implicit subscriber) picks it up; and the dispatcher's turn-state reaches the
/// subscribers as <see cref="SessionEventKind.AgentTurn"/> events.
/// </summary>
public sealed partial class ChatSessionGrain
{
    private IAsyncStream<SessionMessageNotice>? _dispatchStream;

    public Task SetAgentTurnAsync(string agentId, bool working, Guid deliveryId)
    {
        if (_session is { } session && session.AgentId == agentId)
        {
            Publish(SessionEvents.AgentTurn(Id, agentId, working, deliveryId, session.LastSeq));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Not awaited: the append is committed and answered whatever becomes of the notice. A lost notice only delays the
    /// delivery (the dispatcher's reminder, or the next notice, makes it read the log).
    /// </summary>
    private void AnnounceToAgent(ChatMessage message)
    {
        if (RequireSession().AgentId is not { } agentId || message.SenderId == agentId)
        {
            return;
        }

        _dispatchStream ??= this.GetStreamProvider(AgentDispatchStreams.ProviderName)
            .GetStream<SessionMessageNotice>(StreamId.Create(AgentDispatchStreams.Namespace, Id));
        _ = PublishNoticeAsync(_dispatchStream, new SessionMessageNotice(Id, message.Seq));
    }

    private async Task PublishNoticeAsync(IAsyncStream<SessionMessageNotice> stream, SessionMessageNotice notice)
    {
        try
        {
            await stream.OnNextAsync(notice);
        }
        catch (Exception exception)
        {
            LogNoticeNotPublished(_logger, exception, Id, notice.LastSeq);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: the agent dispatcher was not told of seq {Seq}; its reminder will find it.")]
    private static partial void LogNoticeNotPublished(ILogger logger, Exception exception, string sessionId, long seq);
}
