using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using Sessions.Abstractions;
using Sessions.Storage.Inbox;

namespace Sessions.Grains;

/// <summary>
/// One participant's inbox. The activation loads every entry from PostgreSQL in one statement, then follows the
/// participant's sessions through the notices their grains send after each commit (<see cref="InboxNotices"/>). Since
/// a notice can be lost (a silo dies between the commit and the send), a timer rereads the heads of the sessions every
/// <see cref="InboxOptions.ReconcilePeriod"/> and rebuilds the entries that differ: the database is the truth, the
/// activation a view of it that may lag by a moment. Read cursors move only forward, in the database first.
/// Every visible change bumps <see cref="_version"/> and goes to the observers as a delta.
/// Its clock is the one Orleans drives grain timers with (so a test's fake clock moves the reconcile timer too).
/// The grain type name is pinned, so renaming the class cannot change the identity of existing inboxes.
/// </summary>
[GrainType("inbox")]
public sealed partial class InboxGrain : Grain, IInboxGrain
{
    private readonly InboxStore _inbox;
    private readonly ReadCursorStore _cursors;
    private readonly InboxOptions _options;
    private readonly LimitsOptions _limits;
    private readonly ILogger<InboxGrain> _logger;
    private readonly ObserverManager<IInboxObserver> _observers;
    private readonly InboxEntries _entries = new();
    private IGrainTimer? _reconcile;
    private bool _participantExists;

    // Starts at the activation's clock, in ticks: a later activation starts above anything an earlier one reached
    // (that would take more than one change per tick), so versions keep growing across reactivations.
    private long _version;

    public InboxGrain(
        InboxStore inbox,
        ReadCursorStore cursors,
        IOptions<InboxOptions> options,
        IOptions<LimitsOptions> limits,
        [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider time,
        ILogger<InboxGrain> logger)
    {
        _inbox = inbox;
        _cursors = cursors;
        _options = options.Value;
        _limits = limits.Value;
        _logger = logger;
        _observers = new ObserverManager<IInboxObserver>(_options.ObserverExpiry, logger) { GetDateTime = () => time.GetUtcNow().UtcDateTime };
        _version = time.GetUtcNow().UtcTicks;
    }

    private string ParticipantId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A key no row can have (a cluster client may pass any string): no participant, and no query the database refuses.
        var rows = StorableText.IsStorable(ParticipantId)
            ? await _inbox.LoadAsync(ParticipantId, _options.MaxPreviewLength, cancellationToken)
            : null;
        _participantExists = rows is not null;
        _entries.Reset(rows?.Select(row => InboxItem.From(row, _options.MaxPreviewLength)) ?? []);
        _reconcile = this.RegisterGrainTimer(ReconcileAsync, new GrainTimerCreationOptions(_options.ReconcilePeriod, _options.ReconcilePeriod));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _reconcile?.Dispose();
        return Task.CompletedTask;
    }

    public Task<InboxPage> ListAsync(InboxQuery query)
    {
        RequireParticipant();
        if (query.Limit < 1 || query.Limit > _limits.MaxPageSize)
        {
            throw SessionErrors.Invalid("limit", $"limit must be between 1 and {_limits.MaxPageSize}.");
        }

        InboxPosition? after = null;
        if (query.Cursor is { } cursor)
        {
            after = InboxCursor.TryParse(cursor, out var position)
                ? position
                : throw SessionErrors.Invalid("cursor", "The page cursor is malformed or was not issued by this listing.");
        }

        return Task.FromResult(Page(after, query.Limit, (entries, next) => new InboxPage(entries, next)));
    }

    public async Task<InboxEntry> MarkReadAsync(string sessionId, long lastSeq)
    {
        if (lastSeq < 0)
        {
            throw SessionErrors.Invalid("last_seq", "last_seq must not be negative.");
        }

        var known = _entries.Find(sessionId);
        if (known is null || lastSeq > known.Entry.LastSeq)
        {
            // The inbox may lag the session (a notice in flight or lost): the session's grain has the last word on
            // who is in it and where its log ends, and throws session-not-found itself.
            var session = await GrainFactory.GetGrain<IChatSessionGrain>(sessionId).GetAsync();
            if (!session.HasParticipant(ParticipantId))
            {
                if (!_participantExists)
                {
                    DeactivateOnIdle();
                }

                throw SessionErrors.NotInSession(ParticipantId, sessionId);
            }

            if (lastSeq > session.LastSeq)
            {
                throw SessionErrors.Invalid("last_seq", $"last_seq {lastSeq} is past the end of session '{sessionId}', which is at {session.LastSeq}.");
            }

            if (known is null || known.Entry.LastSeq < session.LastSeq)
            {
                _participantExists = true;
                await RereadAsync([sessionId]);
                known = _entries.Find(sessionId) ?? throw SessionErrors.NotFound(sessionId);
            }
        }

        if (lastSeq <= known.Entry.LastReadSeq)
        {
            return known.Entry;
        }

        var cursor = await _cursors.MoveForwardAsync(sessionId, ParticipantId, lastSeq, known.Entry.LastSeq, CancellationToken.None);
        var moved = known with { Entry = known.Entry with { LastReadSeq = cursor.LastReadSeq, UnreadCount = cursor.UnreadCount } };
        Apply(moved);
        return moved.Entry;
    }

    public async Task OnSessionChangedAsync(InboxNotice notice)
    {
        if (!notice.Session.HasParticipant(ParticipantId))
        {
            return;
        }

        // The session names this participant, so it exists even if it did not when the inbox was loaded.
        _participantExists = true;
        if (!InboxNotices.TryApply(_entries.Find(notice.Session.Id), notice, ParticipantId, _options.MaxPreviewLength, out var updated))
        {
            LogRereading(_logger, ParticipantId, notice.Session.Id, notice.Session.LastSeq);
            await RereadAsync([notice.Session.Id]);
        }
        else if (updated is not null)
        {
            Apply(updated);
        }
    }

    public Task<InboxSnapshot> SubscribeAsync(IInboxObserver observer)
    {
        RequireParticipant();
        _observers.Subscribe(observer, observer);
        return Task.FromResult(Page(null, _options.SnapshotSize, (entries, next) => new InboxSnapshot(ParticipantId, _version, entries, next)));
    }

    public Task UnsubscribeAsync(IInboxObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        _observers.ClearExpired();
        if (!_participantExists)
        {
            return;
        }

        var heads = await _inbox.ReadHeadsAsync(ParticipantId, cancellationToken);
        var differing = heads
            .Where(head => _entries.Find(head.SessionId)?.Entry is not { } entry
                || entry.LastSeq != head.LastSeq || entry.Status != head.Status || entry.LastReadSeq != head.LastReadSeq)
            .Select(head => head.SessionId)
            .ToList();
        if (differing.Count > 0)
        {
            LogRepairing(_logger, ParticipantId, differing.Count);
            await RereadAsync(differing);
        }
    }

    private async Task RereadAsync(IReadOnlyCollection<string> sessionIds)
    {
        var rows = await _inbox.LoadSessionsAsync(ParticipantId, sessionIds, _options.MaxPreviewLength, CancellationToken.None);
        foreach (var row in rows)
        {
            Apply(InboxItem.From(row, _options.MaxPreviewLength));
        }
    }

    private void Apply(InboxItem item)
    {
        if (_entries.Set(item))
        {
            var delta = new InboxDelta(ParticipantId, ++_version, item.Entry);
            _observers.Notify(observer => observer.OnInboxChangedAsync(delta).Ignore());
        }
    }

    private T Page<T>(InboxPosition? after, int limit, Func<IReadOnlyList<InboxEntry>, string?, T> result)
    {
        var (entries, more) = _entries.Page(after, limit);
        return result(entries, more ? InboxCursor.After(InboxPosition.Of(entries[^1])) : null);
    }

    private void RequireParticipant()
    {
        if (!_participantExists)
        {
            // Nothing to keep for an id that names no participant; a participant created later gets a fresh load.
            DeactivateOnIdle();
            throw SessionErrors.UnknownParticipant(ParticipantId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Inbox {ParticipantId}: a notice of session {SessionId} at seq {Seq} does not follow on; rereading the session")]
    private static partial void LogRereading(ILogger logger, string participantId, string sessionId, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inbox {ParticipantId}: {Count} session(s) changed without a notice; rebuilt from the database")]
    private static partial void LogRepairing(ILogger logger, string participantId, int count);
}
