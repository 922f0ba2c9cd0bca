namespace Sessions.Grains;

/// <summary>
/// Streamed replies: the session's checks (the author is a member, the session takes messages), then
/// <see cref="StreamedReplies"/>, which holds the replies and ends each in a message appended through this grain
/// (<see cref="IReplySession"/>).
/// </summary>
public sealed partial class ChatSessionGrain : IReplySession
{
    public async Task<Reply> StartReplyAsync(StartReplyCommand command)
    {
        var session = RequireSession();
        MessageValidator.RequireStorable("sender_id", command.SenderId);
        RequireMember(command.SenderId, "sender_id");
        RequireWritable(session);
        var reply = await _replies.StartAsync(command);
        if (_replies.AnyInFlight)
        {
            EnsureHousekeeping();
        }

        return reply;
    }

    public Task<ChunkAck> AppendChunkAsync(string replyId, AppendChunkCommand command)
    {
        RequireSession();
        return Task.FromResult(_replies.AppendChunk(replyId, command));
    }

    public async Task<AppendResult> FinishReplyAsync(string replyId, FinishReplyCommand command)
    {
        RequireSession();
        return await _replies.FinishAsync(replyId, command);
    }

    public async Task<Reply> StopReplyAsync(string replyId, StopReplyCommand command)
    {
        RequireSession();
        RequireMember(command.ParticipantId, "participant_id");
        MessageValidator.RequireToken("reason", command.Reason, _limits);
        return await _replies.StopAsync(replyId, command.Reason);
    }

    public Task<IReadOnlyList<Reply>> ListRepliesAsync()
    {
        RequireSession();
        return Task.FromResult(_replies.List());
    }

    string IReplySession.Id => Id;

    long IReplySession.LastSeq => RequireSession().LastSeq;

    bool IReplySession.AcceptsMessages => SessionStatusTransitions.AcceptsMessages(RequireSession().Status);

    async Task<ChatMessage?> IReplySession.FindMessageAsync(string clientMessageId) => (await FindReplayAsync(clientMessageId))?.Message;

    void IReplySession.Publish(SessionEvent sessionEvent) => Publish(sessionEvent);
}
