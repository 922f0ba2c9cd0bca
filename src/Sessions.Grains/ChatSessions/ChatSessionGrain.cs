using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using Sessions.Abstractions;
using Sessions.Storage.Messages;
using Sessions.Storage.Participants;
using Sessions.Storage.Replies;
using Sessions.Storage.Sessions;

namespace Sessions.Grains;

/// <summary>
/// One chat session. The activation holds the session row and a tail cache of its newest messages.
///
/// Orleans runs one turn at a time, so the grain knows the next seq without asking the database. The commit is still
/// fenced by the database: the insert happens only if the session's last_seq is what this activation believes it is.
/// Orleans keeps one activation per session, but correctness never rests on that alone: should a second activation
/// ever write first (a silo declared dead too early, a partition), this one reloads and appends at the log's end,
/// where the database picks the seq.
/// Streamed replies, presence and inactivity are collaborators the activation owns (<see cref="StreamedReplies"/>,
/// <see cref="SessionPresence"/>, <see cref="IdleWatch"/>): they keep their own state and reach the session only through
/// what it hands them, such as <see cref="IReplySession"/>. The grain keeps the order of the log, the tail cache and the
/// notifications (observers, inbox notices, the agent dispatch stream), and the timers that drive its collaborators.
/// Time comes from the clock Orleans drives grain timers with, so a test's fake clock moves both together.
/// The grain type name is pinned, so renaming the class cannot change the identity of existing sessions' grains.
/// </summary>
[GrainType("chatsession")]
public sealed partial class ChatSessionGrain : Grain, IChatSessionGrain
{
    private readonly SessionStore _sessions;
    private readonly MessageStore _messages;
    private readonly ParticipantStore _participants;
    private readonly ChatSessionOptions _options;
    private readonly LimitsOptions _limits;
    private readonly ILogger<ChatSessionGrain> _logger;
    private readonly TailCache _tail;
    private readonly ObserverManager<ISessionObserver> _observers;
    private readonly StreamedReplies _replies;
    private readonly SessionPresence _presence;
    private readonly IdleWatch _idle;
    private ChatSession? _session;

    public ChatSessionGrain(
        SessionStore sessions,
        MessageStore messages,
        ReplyStore replyStore,
        ParticipantStore participants,
        IOptions<ChatSessionOptions> options,
        IOptions<LimitsOptions> limits,
        [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider time,
        ILogger<ChatSessionGrain> logger)
    {
        _sessions = sessions;
        _messages = messages;
        _participants = participants;
        _options = options.Value;
        _limits = limits.Value;
        _logger = logger;
        _tail = new TailCache(_options.TailCacheSize);
        _observers = new ObserverManager<ISessionObserver>(_options.ObserverExpiry, logger) { GetDateTime = () => time.GetUtcNow().UtcDateTime };
        _replies = new StreamedReplies(this, replyStore, _limits, _options.ReplyIdleTimeout, time, logger);
        _presence = new SessionPresence(_options.PresenceTimeout, _options.TypingInterval, time);
        _idle = new IdleWatch(_options.IdleAfter, time, (callback, timerOptions) => this.RegisterGrainTimer(callback, timerOptions), GoIdleIfQuietAsync);
    }

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        if (_session is not null)
        {
            await _replies.EndOrphansAsync();
        }

        await GoIdleIfQuietAsync(cancellationToken);
        WatchForInactivity();
    }

    // Replies in flight end with the activation that holds their chunks; subscribers hear that they did.
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _replies.InterruptAllAsync();

    public async Task<ChatSession> CreateAsync(CreateSessionCommand command)
    {
        if (_session is not null)
        {
            throw AlreadyExists();
        }

        if (!StorableText.IsStorable(Id))
        {
            throw SessionErrors.Invalid("id", "A session id cannot contain a NUL character or an unpaired surrogate.");
        }

        var kind = string.IsNullOrEmpty(command.Kind) ? _options.DefaultKind : command.Kind;
        var errors = new FieldErrors();
        MessageValidator.CheckStorable(errors, "initiator_id", command.InitiatorId);
        MessageValidator.CheckStorable(errors, "peer_id", command.PeerId);
        MessageValidator.CheckStorable(errors, "agent_id", command.AgentId);
        MessageValidator.CheckName(errors, "kind", kind, _limits);
        MessageValidator.CheckMetadata(errors, "metadata", command.Metadata, _limits);
        if (command.InitiatorId == command.PeerId)
        {
            errors.Add("peer_id", "A session needs two different participants: peer_id equals initiator_id.");
        }

        MessageValidator.CheckToken(errors, "task_id", command.TaskId, _limits);
        errors.ThrowIfAny();

        await RequireParticipantsAsync(command);
        _session = await _sessions.TryInsertAsync(Id, command with { Kind = kind }, CancellationToken.None)
            ?? throw AlreadyExists();
        _tail.Reset([], 0);
        LogCreated(_logger, Id);
        Publish(SessionEvents.Created(_session));
        WatchForInactivity();
        InboxNotifier.SessionChanged(GrainFactory, _session);
        return _session;
    }

    public Task<ChatSession> GetAsync() => Task.FromResult(RequireSession());

    public async Task<AppendResult> AppendAsync(AppendMessageCommand command)
    {
        var (message, created) = await AppendCoreAsync(command);
        return new AppendResult(message.Message, created);
    }

    public async Task<AppendResultJson> AppendJsonAsync(AppendMessageCommand command)
    {
        var (message, created) = await AppendCoreAsync(command);
        var stored = message.Message;
        return new AppendResultJson(message.Json, stored.Id, stored.Seq, stored.ClientMessageId, created);
    }

    /// <summary>
    /// The append both forms answer from: the stored message as the tail cache holds it, JSON included, so neither the
    /// event to observers nor a wire-form answer serializes it again.
    /// </summary>
    private async Task<(CachedMessage Message, bool Created)> AppendCoreAsync(AppendMessageCommand command)
    {
        var session = RequireSession();
        MessageValidator.Validate(command, _limits);
        if (!session.HasParticipant(command.SenderId))
        {
            throw new SessionException(SessionErrors.SenderNotParticipant, $"'{command.SenderId}' is not a participant of session '{Id}'.");
        }

        var lostRace = false;
        for (var attempt = 1; ; attempt++)
        {
            if (await FindReplayAsync(command.ClientMessageId) is { } original)
            {
                return (original, false);
            }

            session = RequireSession();
            RequireWritable(session);

            if (command.ExpectedSeq is { } expected && expected != session.LastSeq)
            {
                throw SessionErrors.Conflict(session.LastSeq, expected);
            }

            if (session.Status == SessionStatus.Idle)
            {
                await ChangeStatusAsync(SessionStatus.Active);
            }

            var message = new NewMessage(Guid.CreateVersion7(), Id, command.SenderId, command.Kind, command.Content, command.Metadata, command.ClientMessageId);
            var outcome = lostRace
                ? await _messages.AppendAtEndAsync(message, command.ExpectedSeq, CancellationToken.None)
                : await _messages.TryAppendAsync(message, session.LastSeq, CancellationToken.None);
            switch (outcome)
            {
                case AppendOutcome.Appended appended when appended.Message.Seq == session.LastSeq + 1:
                    var added = Remember(appended.Message);
                    InboxNotifier.SessionChanged(GrainFactory, RequireSession(), appended.Message);
                    return (added, true);
                case AppendOutcome.Appended appended:
                    // The other activation wrote in between: the cache misses those messages, so take the log's end.
                    // Observers see a seq past what they had and read the gap themselves.
                    await ReloadAsync(CancellationToken.None);
                    var landed = new CachedMessage(appended.Message);
                    Publish(SessionEvents.Message(landed));
                    AnnounceToAgent(appended.Message);
                    InboxNotifier.SessionChanged(GrainFactory, RequireSession(), appended.Message);
                    return (landed, true);
                case AppendOutcome.DuplicateClientMessageId:
                    // Another activation stored this client_message_id a moment ago: the reload finds it.
                    await ReloadAsync(CancellationToken.None);
                    break;
                default:
                    // Another activation of this session wrote first. Retrying the compare-and-swap could lose again and
                    // again to a writer whose last_seq is always fresh; appending at the log's end cannot lose.
                    if (attempt >= _options.MaxAppendAttempts)
                    {
                        throw new SessionException(SessionErrors.SessionContended, $"Session '{Id}' is being written by another activation; the message was not stored, send it again.");
                    }

                    LogLostRace(_logger, Id, session.LastSeq);
                    await ReloadAsync(CancellationToken.None);
                    lostRace = true;
                    break;
            }
        }
    }

    public async Task<MessagePage> ListMessagesAsync(MessageQuery query)
    {
        var page = await ReadPageAsync(query);
        return new MessagePage(page.Messages.Select(m => m.Message).ToList(), page.NextAfterSeq, page.NextBeforeSeq);
    }

    public async Task<MessagePageJson> ListMessagesJsonAsync(MessageQuery query)
    {
        var page = await ReadPageAsync(query);
        return new MessagePageJson(MessagePageWriter.Write(page.Messages, page.NextAfterSeq, page.NextBeforeSeq));
    }

    private async Task<(IReadOnlyList<CachedMessage> Messages, long? NextAfterSeq, long? NextBeforeSeq)> ReadPageAsync(MessageQuery query)
    {
        var session = RequireSession();
        if (query.Limit < 1 || query.Limit > _limits.MaxPageSize)
        {
            throw SessionErrors.Invalid("limit", $"limit must be between 1 and {_limits.MaxPageSize}.");
        }

        if (query.AfterSeq < 0 || query.BeforeSeq < 0)
        {
            throw SessionErrors.Invalid(query.AfterSeq < 0 ? "after_seq" : "before_seq", "Sequence numbers are not negative.");
        }

        // Both bounds are exclusive; clamp the upper one to what exists so huge values read to the end.
        var upper = Math.Min(query.BeforeSeq ?? long.MaxValue, session.LastSeq + 1);
        if (query.AfterSeq is { } after)
        {
            if (after >= upper - 1)
            {
                return ([], null, null);
            }

            var to = Math.Min(upper - 1, after + query.Limit);
            var page = _tail.Covers(after + 1, to)
                ? _tail.Range(after + 1, to)
                : Cached((await _messages.ReadForwardAsync(Id, after, query.Limit, CancellationToken.None)).Where(m => m.Seq < upper));
            var more = page.Count > 0 && page[^1].Message.Seq < upper - 1;
            return (page, more ? page[^1].Message.Seq : null, null);
        }
        else
        {
            var from = Math.Max(1, upper - query.Limit);
            var page = _tail.Covers(from, upper - 1)
                ? _tail.Range(from, upper - 1)
                : Cached(await _messages.ReadBackwardAsync(Id, upper, query.Limit, CancellationToken.None));
            var more = page.Count > 0 && page[0].Message.Seq > 1;
            return (page, null, more ? page[0].Message.Seq : null);
        }
    }

    private static List<CachedMessage> Cached(IEnumerable<ChatMessage> messages) => messages.Select(m => new CachedMessage(m)).ToList();

    public async Task<ChatSession> ChangeStatusAsync(SessionStatus status)
    {
        var session = RequireSession();
        if (session.Status == status)
        {
            return session;
        }

        if (!SessionStatusTransitions.IsAllowed(session.Status, status))
        {
            throw new SessionException(
                SessionErrors.InvalidTransition,
                $"Session '{Id}' cannot move from {Name(session.Status)} to {Name(status)}.",
                new Dictionary<string, string> { ["from"] = Name(session.Status), ["to"] = Name(status) });
        }

        var changed = await _sessions.TryChangeStatusAsync(Id, session.Status, status, CancellationToken.None);
        if (changed is null)
        {
            // The row moved under us (another writer): take the database's word. It may already be where we were going.
            await ReloadAsync(CancellationToken.None);
            return RequireSession().Status == status
                ? RequireSession()
                : throw new SessionException(SessionErrors.InvalidTransition, $"Session '{Id}' changed status concurrently; it is now {Name(RequireSession().Status)}.");
        }

        if (changed.LastSeq != _tail.LastSeq)
        {
            // Another writer extended the log meanwhile: the row knows, the tail cache must too before the next append.
            await ReloadAsync(CancellationToken.None);
        }
        else
        {
            _session = changed;
        }

        LogStatusChanged(_logger, Id, session.Status, status);
        Publish(SessionEvents.Status(RequireSession()));
        if (!SessionStatusTransitions.AcceptsMessages(status))
        {
            // Nothing can be appended any more: replies in flight end now, without a message.
            await _replies.EndAllAsync("session-" + Name(status));
        }

        InboxNotifier.SessionChanged(GrainFactory, RequireSession());
        return RequireSession();
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        // A key no row can have (a cluster client may pass any string): no session, and no query the database refuses.
        _session = StorableText.IsStorable(Id) ? await _sessions.GetAsync(Id, cancellationToken) : null;
        if (_session is null)
        {
            return;
        }

        var newest = _session.LastSeq == 0
            ? []
            : await _messages.ReadBackwardAsync(Id, _session.LastSeq + 1, _options.TailCacheSize, cancellationToken);
        _tail.Reset(newest, _session.LastSeq);
    }

    private async Task<CachedMessage?> FindReplayAsync(string? clientMessageId)
    {
        if (clientMessageId is null)
        {
            return null;
        }

        if (_tail.TryFindByClientMessageId(clientMessageId, out var cached))
        {
            return cached;
        }

        // Older than the tail cache holds: only then is a lookup worth a round trip, and only if the log is longer than the cache.
        return _tail.FirstSeq > 1 && await _messages.FindByClientMessageIdAsync(Id, clientMessageId, CancellationToken.None) is { } found
            ? new CachedMessage(found)
            : null;
    }

    public Task<SessionSubscription> SubscribeAsync(ISessionObserver observer)
    {
        var session = RequireSession();
        _observers.Subscribe(observer, observer);
        return Task.FromResult(new SessionSubscription(session.LastSeq, session.Status));
    }

    public Task UnsubscribeAsync(ISessionObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>Tells every observer, one-way: a gateway that is slow or gone costs the session nothing.</summary>
    private void Publish(SessionEvent sessionEvent)
    {
        if (_observers.Count > 0)
        {
            _observers.Notify(observer => _ = observer.OnSessionEventAsync(sessionEvent));
        }
    }

    private CachedMessage Remember(ChatMessage message)
    {
        var added = _tail.Add(message);
        Publish(SessionEvents.Message(added));
        AnnounceToAgent(message);
        _session = RequireSession() with
        {
            LastSeq = message.Seq,
            LastMessageId = message.Id,
            LastMessageAt = message.CreatedAt,
            UpdatedAt = message.CreatedAt,
        };
        return added;
    }

    private async Task RequireParticipantsAsync(CreateSessionCommand command)
    {
        string[] ids = command.AgentId is null ? [command.InitiatorId, command.PeerId] : [command.InitiatorId, command.PeerId, command.AgentId];
        var missing = await _participants.FindMissingAsync(ids, CancellationToken.None);
        if (missing.Count > 0)
        {
            throw new SessionException(
                SessionErrors.ParticipantNotFound,
                $"Participant '{missing[0]}' does not exist.",
                new Dictionary<string, string> { ["participant_id"] = missing[0] });
        }

        if (command.AgentId is { } agentId && (await _participants.GetAsync(agentId, CancellationToken.None))?.Kind != ParticipantKind.Agent)
        {
            throw SessionErrors.Invalid("agent_id", $"Participant '{agentId}' is not an agent.");
        }
    }

    private ChatSession RequireSession()
    {
        if (_session is null)
        {
            // Nothing to keep for an id that names no session: free the activation rather than hold it until idle collection.
            DeactivateOnIdle();
            throw SessionErrors.NotFound(Id);
        }

        return _session;
    }

    private void RequireWritable(ChatSession session)
    {
        if (!SessionStatusTransitions.AcceptsMessages(session.Status))
        {
            throw new SessionException(SessionErrors.SessionNotWritable, $"Session '{Id}' is {Name(session.Status)} and takes no messages.");
        }
    }

    private void RequireMember(string participantId, string field)
    {
        MessageValidator.RequireStorable(field, participantId);
        if (!RequireSession().HasParticipant(participantId))
        {
            throw new SessionException(SessionErrors.SenderNotParticipant, $"'{participantId}' is not a participant of session '{Id}'.");
        }
    }

    private SessionException AlreadyExists() => new(SessionErrors.SessionAlreadyExists, $"Session '{Id}' already exists.");

    private static string Name(SessionStatus status) => status.ToString().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId} created")]
    private static partial void LogCreated(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} moved from {From} to {To}")]
    private static partial void LogStatusChanged(ILogger logger, string sessionId, SessionStatus from, SessionStatus to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: another activation extended the log past seq {Seq}; reloading")]
    private static partial void LogLostRace(ILogger logger, string sessionId, long seq);
}
