using Microsoft.Extensions.Logging;
using Sessions.Abstractions;
using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;
using Sessions.Storage.Deliveries;

namespace Sessions.Grains;

/// <summary>Starting deliveries from the log, and sending their attempts.</summary>
public sealed partial class AgentDispatcherGrain
{
    /// <summary>
    /// Opens the next delivery: the messages after the cursor that the agent did not send, at most
    /// <see cref="WebhookOptions.MaxMessagesPerDelivery"/>. False when there is none yet, with when to look again if
    /// the agent's debounce holds them back.
    /// </summary>
    private async Task<(bool Started, TimeSpan? RetryIn)> StartNextDeliveryAsync()
    {
        var session = await Session.GetAsync();
        if (session.AgentId is not { } agentId || session.LastSeq <= State.DeliveredThroughSeq)
        {
            return (false, null);
        }

        var agent = await AgentAsync(agentId);
        if (agent is null || agent.Status != AgentStatus.Enabled)
        {
            // Nothing goes to an agent without a registration, or a disabled one; re-enabling it wakes this again.
            return (false, null);
        }

        await KeepReminderAsync();
        var settings = EffectiveAgentSettings.From(agent.Settings, _options);
        var page = await ReadAsync(State.DeliveredThroughSeq, _options.MaxMessagesPerDelivery);
        var fresh = page.Where(m => m.SenderId != agentId).ToList();
        if (fresh.Count == 0)
        {
            // Only the agent's own messages: nothing to send, the cursor just moves past them.
            State.AgentId = agentId;
            State.DeliveredThroughSeq = page.Count > 0 ? page[^1].Seq : session.LastSeq;
            _dirty = true;
            return (true, null);
        }

        if (settings.Debounce > TimeSpan.Zero)
        {
            var quiet = _time.GetUtcNow() - fresh[^1].CreatedAt;
            var waiting = _time.GetUtcNow() - fresh[0].CreatedAt;
            if (quiet < settings.Debounce && waiting < settings.Debounce * DebounceCeiling)
            {
                return (false, settings.Debounce - quiet);
            }
        }

        // The delivery is saved with its first attempt, before the log has it (see AttemptAsync): a dispatcher that dies
        // in between resends the same delivery id, never a second delivery of the same messages.
        var delivery = new PendingDelivery { Id = Guid.CreateVersion7(), FirstSeq = fresh[0].Seq, LastSeq = page[^1].Seq };
        State.AgentId = agentId;
        State.DeliveredThroughSeq = delivery.LastSeq;
        State.Current = delivery;
        _opened = (delivery.Id, fresh);
        LogDeliveryOpened(_logger, SessionId, delivery.Id, delivery.FirstSeq, delivery.LastSeq);
        return (true, null);
    }

    /// <summary>Makes the oldest requested redelivery the delivery in flight; false when none is waiting.</summary>
    private async Task<bool> TakeRedeliveryAsync()
    {
        while (State.Redeliveries.Count > 0)
        {
            var id = State.Redeliveries[0];
            State.Redeliveries.RemoveAt(0);
            var row = await _deliveries.GetAsync(id, CancellationToken.None);
            if (row is { Status: DeliveryStatus.Pending } && row.SessionId == SessionId)
            {
                State.AgentId ??= row.AgentId;
                State.Current = new PendingDelivery
                {
                    Id = row.Id,
                    FirstSeq = row.FirstSeq,
                    LastSeq = row.LastSeq,
                    Attempt = row.AttemptCount,
                    AttemptsBefore = row.AttemptCount,
                    Manual = true,
                    Logged = true,
                };
                _dirty = true;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One attempt of <paramref name="delivery"/>, logged. True when the delivery ended (sent, or failed for good);
    /// false when its next attempt is scheduled.
    /// </summary>
    private async Task<bool> AttemptAsync(PendingDelivery delivery, CancellationToken cancellationToken)
    {
        var agentId = State.AgentId!;
        var agent = await AgentAsync(agentId);
        delivery.Attempt++;
        delivery.NextAttemptAt = null;
        var manual = delivery.Manual;
        delivery.Manual = false;

        // Saved before anything goes out: after a crash the next activation resends this delivery with a new attempt number.
        _dirty = false;
        await _state.WriteStateAsync();
        if (!delivery.Logged)
        {
            // Idempotent: a delivery the log already has (an activation died after logging it) is found, not doubled.
            await _deliveries.CreateAsync(new NewDelivery(delivery.Id, agentId, SessionId, delivery.FirstSeq, delivery.LastSeq), CancellationToken.None);
            delivery.Logged = true;
        }

        var started = _time.GetUtcNow();
        if (agent is null || agent.Status != AgentStatus.Enabled)
        {
            var why = agent is null ? "the agent has no webhook registration" : "the agent is disabled";
            var notSent = new WebhookAttemptResult(WebhookAttemptOutcome.Rejected, null, TimeSpan.Zero, why, null, null, [], null, 0, started);
            await RecordAsync(delivery, manual, started, notSent, DeliveryOutcome.Failed);
            return End(delivery, succeeded: false);
        }

        var settings = EffectiveAgentSettings.From(agent.Settings, _options);
        var retries = new WebhookRetryPolicy(settings.MaxAttempts, settings.RetryBaseDelay, settings.RetryMaxDelay);
        var (body, oldest) = await RenderAsync(delivery, agentId, settings);
        var request = new WebhookAttemptRequest(delivery.Id.ToString(), agentId, new Uri(agent.Url), body, SigningSecrets(agent, started), settings.Timeout);
        var replies = new ReplyForwarder(Session, agentId, delivery.Id, delivery.Attempt, _logger);
        Session.SetAgentTurnAsync(agentId, working: true, delivery.Id).Ignore();
        WebhookAttemptResult result;
        try
        {
            result = await _sender.SendAsync(request, replies, cancellationToken);
        }
        finally
        {
            Session.SetAgentTurnAsync(agentId, working: false, delivery.Id).Ignore();
        }

        SessionsMeter.WebhookAttemptSeconds.Record(result.Latency.TotalSeconds);
        if (result.Outcome == WebhookAttemptOutcome.Delivered)
        {
            SessionsMeter.WebhookAttempts.Add(1, SessionsMeter.Tag("result", "success"));
            SessionsMeter.WebhookLagSeconds.Record((_time.GetUtcNow() - oldest).TotalSeconds);
            await RecordAsync(delivery, manual, started, result, DeliveryOutcome.Succeeded);
            await AppendRepliesAsync(agentId, delivery.Id, result.Replies);
            return End(delivery, succeeded: true);
        }

        if (result.ShouldRetry && retries.HasAttemptsLeft(delivery.Attempt - delivery.AttemptsBefore))
        {
            SessionsMeter.WebhookAttempts.Add(1, SessionsMeter.Tag("result", "retry"));
            var wait = retries.DelayBeforeRetry(delivery.Attempt - delivery.AttemptsBefore, result.RetryAfter);
            delivery.NextAttemptAt = _time.GetUtcNow() + wait;
            await RecordAsync(delivery, manual, started, result, DeliveryOutcome.RetryAt(delivery.NextAttemptAt.Value));
            _dirty = true;
            WakeIn(wait);
            return false;
        }

        SessionsMeter.WebhookAttempts.Add(1, SessionsMeter.Tag("result", "failure"));
        await RecordAsync(delivery, manual, started, result, DeliveryOutcome.Failed);
        if (result.Outcome == WebhookAttemptOutcome.Gone)
        {
            // The endpoint says it is gone for good: nothing more goes to it until someone enables the agent again.
            await _agents.DisableAsync(agentId, "gone", CancellationToken.None);
            LogAgentGone(_logger, agentId, SessionId);
        }

        LogDeliveryFailed(_logger, SessionId, delivery.Id, delivery.Attempt, result.Error);
        return End(delivery, succeeded: false);
    }

    private bool End(PendingDelivery delivery, bool succeeded)
    {
        SessionsMeter.WebhookDeliveries.Add(1, SessionsMeter.Tag("outcome", succeeded ? "succeeded" : "failed"));
        if (ReferenceEquals(State.Current, delivery))
        {
            State.Current = null;
            _dirty = true;
        }

        return true;
    }

    private Task RecordAsync(PendingDelivery delivery, bool manual, DateTimeOffset started, WebhookAttemptResult result, DeliveryOutcome outcome) =>
        _deliveries.RecordAttemptAsync(
            new DeliveryAttemptRecord(
                delivery.Id,
                delivery.Attempt,
                manual ? DeliveryTrigger.Manual : DeliveryTrigger.Scheduled,
                started,
                _time.GetUtcNow(),
                (int)result.Latency.TotalMilliseconds,
                result.StatusCode,
                result.Error ?? result.ReplyError,
                result.ResponseExcerpt),
            outcome,
            CancellationToken.None);

    /// <summary>The agent's JSON replies become its messages, each idempotent by delivery and position.</summary>
    private async Task AppendRepliesAsync(string agentId, Guid deliveryId, IReadOnlyList<WebhookReplyMessage> replies)
    {
        for (var i = 0; i < replies.Count; i++)
        {
            var reply = replies[i];
            try
            {
                await Session.AppendAsync(new AppendMessageCommand(agentId, reply.Kind, reply.Content, reply.Metadata, $"delivery:{deliveryId:N}:{i}", null));
            }
            catch (SessionException exception)
            {
                // A reply the session refuses (too large, the session closed...) is the agent's problem, not the delivery's.
                LogReplyRefused(_logger, exception, SessionId, deliveryId, i);
            }
        }
    }

    /// <summary>The delivery's body, and when its oldest message was created (what its lag is measured from).</summary>
    private async Task<(byte[] Body, DateTimeOffset Oldest)> RenderAsync(PendingDelivery delivery, string agentId, EffectiveAgentSettings settings)
    {
        // The first attempt sends what opening the delivery just read; a retry (or a resumed delivery) reads it again.
        var messages = _opened is { } opened && opened.Id == delivery.Id
            ? opened.Messages
            : (await ReadAsync(delivery.FirstSeq - 1, (int)(delivery.LastSeq - delivery.FirstSeq + 1)))
                .Where(m => m.SenderId != agentId && m.Seq <= delivery.LastSeq)
                .ToList();
        _opened = null;
        var historyCount = (int)Math.Min(settings.HistoryCount ?? 0, delivery.FirstSeq - 1);
        var history = historyCount > 0 ? await ReadAsync(delivery.FirstSeq - 1 - historyCount, historyCount) : [];
        var oldest = messages.Count > 0 ? messages[0].CreatedAt : _time.GetUtcNow();
        return (DeliveryBody.Write(delivery.Id, SessionId, agentId, messages, history), oldest);
    }

    /// <summary>Up to <paramref name="count"/> messages after <paramref name="afterSeq"/>, in pages the session allows.</summary>
    private async Task<List<ChatMessage>> ReadAsync(long afterSeq, int count)
    {
        var messages = new List<ChatMessage>(Math.Min(count, _limits.MaxPageSize));
        while (messages.Count < count)
        {
            var page = await Session.ListMessagesAsync(new MessageQuery(afterSeq, null, Math.Min(count - messages.Count, _limits.MaxPageSize)));
            if (page.Messages.Count == 0)
            {
                break;
            }

            messages.AddRange(page.Messages);
            afterSeq = page.Messages[^1].Seq;
        }

        return messages;
    }

    /// <summary>
    /// The agent's registration, read at most every <see cref="AgentCacheTime"/>: a change (URL, settings, disabled)
    /// applies to the next attempt after that.
    /// </summary>
    private async Task<AgentRow?> AgentAsync(string agentId)
    {
        if (_agent is null || _agent.ParticipantId != agentId || _time.GetUtcNow() - _agentReadAt > AgentCacheTime)
        {
            _agent = await _agents.GetAsync(agentId, CancellationToken.None);
            _agentReadAt = _time.GetUtcNow();
        }

        return _agent;
    }

    /// <summary>The secrets that sign now: the current one first, and the previous one while its rotation grace lasts.</summary>
    private static IReadOnlyList<string> SigningSecrets(AgentRow agent, DateTimeOffset now) =>
        agent.PreviousSecret is { } previous && agent.PreviousSecretExpiresAt > now ? [agent.Secret, previous] : [agent.Secret];

    /// <summary>A debounced delivery waits for a quiet spell, but never longer than this many debounce periods.</summary>
    private const int DebounceCeiling = 5;

    private static readonly TimeSpan AgentCacheTime = TimeSpan.FromSeconds(1);
    private (Guid Id, List<ChatMessage> Messages)? _opened;
    private AgentRow? _agent;
    private DateTimeOffset _agentReadAt;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId}: delivery {DeliveryId} opened for seqs {FirstSeq}-{LastSeq}.")]
    private static partial void LogDeliveryOpened(ILogger logger, string sessionId, Guid deliveryId, long firstSeq, long lastSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: delivery {DeliveryId} failed after attempt {Attempt}: {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string sessionId, Guid deliveryId, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId}'s endpoint answered 410 Gone (session {SessionId}): the agent is disabled.")]
    private static partial void LogAgentGone(ILogger logger, string agentId, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: reply {Index} of delivery {DeliveryId} was refused.")]
    private static partial void LogReplyRefused(ILogger logger, Exception exception, string sessionId, Guid deliveryId, int index);
}
