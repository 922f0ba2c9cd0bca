namespace Sessions.Grains.Tests;

/// <summary>
/// A session as <see cref="StreamedReplies"/> sees it, in memory: appends go to <see cref="Log"/> (idempotent by
/// client_message_id, as the grain's are), events to <see cref="Events"/>.
/// </summary>
internal sealed class FakeReplySession(string id, TimeProvider clock) : IReplySession
{
    public List<ChatMessage> Log { get; } = [];

    public List<SessionEvent> Events { get; } = [];

    public bool AcceptsMessages { get; set; } = true;

    /// <summary>When set, every append fails with it (a refused or lost write).</summary>
    public Exception? AppendFailure { get; set; }

    public string Id => id;

    public long LastSeq => Log.Count;

    public Task<AppendResult> AppendAsync(AppendMessageCommand command)
    {
        if (AppendFailure is { } failure)
        {
            return Task.FromException<AppendResult>(failure);
        }

        if (Log.Find(m => m.ClientMessageId is not null && m.ClientMessageId == command.ClientMessageId) is { } original)
        {
            return Task.FromResult(new AppendResult(original, Created: false));
        }

        var message = new ChatMessage(
            Guid.CreateVersion7().ToString(), id, Log.Count + 1, command.SenderId, command.Kind, command.Content, command.Metadata, command.ClientMessageId, clock.GetUtcNow());
        Log.Add(message);
        return Task.FromResult(new AppendResult(message, Created: true));
    }

    public Task<ChatMessage?> FindMessageAsync(string clientMessageId) => Task.FromResult(Log.Find(m => m.ClientMessageId == clientMessageId));

    public void Publish(SessionEvent sessionEvent) => Events.Add(sessionEvent);

    public IEnumerable<SessionEventKind> EventKinds => Events.Select(e => e.Kind);
}
