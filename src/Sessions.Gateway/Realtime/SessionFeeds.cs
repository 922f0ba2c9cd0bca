using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Gateway.Grains;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// This gateway's subscriptions to sessions: one <see cref="SessionFeed"/> (one grain observer) per session that has
/// local subscribers, made by the first and dropped with the last. In the background it renews every subscription
/// each <see cref="RealtimeOptions.ResubscribePeriod"/>, and at once when the cluster loses a silo (the grains there
/// come back elsewhere without their observers). Each renewal reports where the log ends, so subscribers that missed
/// events fill the gap.
/// </summary>
public sealed partial class SessionFeeds : BackgroundService
{
    private readonly Dictionary<string, SessionFeed> _feeds = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly IGrainFactory _grainFactory;
    private readonly ChatSessionGrains _sessions;
    private readonly RetrySafeCalls _retries;
    private readonly IClusterMembershipService _membership;
    private readonly RealtimeOptions _options;
    private readonly ILogger<SessionFeeds> _logger;
    private readonly SemaphoreSlim _renewNow = new(0, 1);

    public SessionFeeds(
        IGrainFactory grainFactory,
        ChatSessionGrains sessions,
        RetrySafeCalls retries,
        IClusterMembershipService membership,
        IOptions<RealtimeOptions> options,
        ILogger<SessionFeeds> logger)
    {
        _grainFactory = grainFactory;
        _sessions = sessions;
        _retries = retries;
        _membership = membership;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>How many sessions this gateway is subscribed to.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _feeds.Count;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="sink"/> to the session's feed, subscribing to the session first if nobody here is yet, and
    /// returns where the log ends: events after it reach the sink. Fails like the grain (session-not-found).
    /// </summary>
    internal async Task<long> AttachAsync(string sessionId, ISessionSink sink)
    {
        SessionFeed feed;
        Task subscription;
        lock (_gate)
        {
            if (!_feeds.TryGetValue(sessionId, out feed!))
            {
                feed = new SessionFeed(sessionId);
                feed.Reference = _grainFactory.CreateObjectReference<ISessionObserver>(feed);
                _feeds.Add(sessionId, feed);
            }

            feed.Add(sink);
            subscription = feed.Subscription ??= SubscribeAsync(feed);
        }

        try
        {
            await subscription.ConfigureAwait(false);
            return feed.Head;
        }
        catch
        {
            lock (_gate)
            {
                if (feed.Subscription == subscription)
                {
                    feed.Subscription = null;
                }
            }

            Detach(sessionId, sink);
            throw;
        }
    }

    /// <summary>Removes <paramref name="sink"/>; the last one out ends this gateway's subscription to the session.</summary>
    internal void Detach(string sessionId, ISessionSink sink)
    {
        SessionFeed? emptied = null;
        lock (_gate)
        {
            if (_feeds.TryGetValue(sessionId, out var feed))
            {
                feed.Remove(sink);
                if (feed.IsEmpty)
                {
                    _feeds.Remove(sessionId);
                    emptied = feed;
                }
            }
        }

        if (emptied is not null)
        {
            _ = UnsubscribeAsync(emptied);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watch = WatchMembershipAsync(stoppingToken);
        using var timer = new PeriodicTimer(_options.ResubscribePeriod);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        var now = _renewNow.WaitAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var woke = await Task.WhenAny(tick, now).ConfigureAwait(false);
                await woke.ConfigureAwait(false);
                if (woke == tick)
                {
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                else
                {
                    now = _renewNow.WaitAsync(stoppingToken);
                }

                await RenewAllAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await watch.ConfigureAwait(false);
    }

    /// <summary>Renews every subscription now (also what a lost silo triggers).</summary>
    public void RenewSoon()
    {
        try
        {
            _renewNow.Release();
        }
        catch (SemaphoreFullException)
        {
            // A renewal is already due.
        }
    }

    private async Task RenewAllAsync(CancellationToken cancellationToken)
    {
        SessionFeed[] feeds;
        lock (_gate)
        {
            feeds = [.. _feeds.Values.Where(f => f.Subscription is { IsCompletedSuccessfully: true })];
        }

        await Parallel.ForEachAsync(
            feeds,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (feed, _) =>
            {
                try
                {
                    await SubscribeAsync(feed).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRenewFailed(_logger, exception, feed.SessionId);
                }
            }).ConfigureAwait(false);
    }

    private async Task SubscribeAsync(SessionFeed feed)
    {
        var subscription = await _retries.ExecuteAsync(() => _sessions.Get(feed.SessionId).SubscribeAsync(feed.Reference!)).ConfigureAwait(false);
        feed.OnHead(subscription.LastSeq);
    }

    private async Task UnsubscribeAsync(SessionFeed feed)
    {
        try
        {
            // Only once the subscribe call has ended, or the grain could keep an observer nobody holds.
            if (feed.Subscription is { } subscription)
            {
                await subscription.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await _sessions.Get(feed.SessionId).UnsubscribeAsync(feed.Reference!).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Harmless: the grain drops the observer when it expires.
            LogUnsubscribeFailed(_logger, exception, feed.SessionId);
        }
        finally
        {
            _grainFactory.DeleteObjectReference<ISessionObserver>(feed.Reference!);
        }
    }

    private async Task WatchMembershipAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in _membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                var lost = false;
                foreach (var (silo, member) in snapshot.Members)
                {
                    if (member.Status == SiloStatus.Dead && dead.Add(silo))
                    {
                        lost = true;
                    }
                }

                if (lost)
                {
                    RenewSoon();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the subscription to session {SessionId}; the next renewal tries again")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unsubscribe from session {SessionId}; its grain drops the observer when it expires")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string sessionId);
}
