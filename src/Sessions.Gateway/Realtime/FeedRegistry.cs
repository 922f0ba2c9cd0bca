using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sessions.Gateway.Silo;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// This gateway's subscriptions to grains of one kind: one feed (one grain observer) per grain that has local
/// subscribers, made by the first and dropped with the last. In the background it renews every subscription each
/// <see cref="RealtimeOptions.ResubscribePeriod"/>, and all at once when the cluster loses a silo (the grains there come
/// back elsewhere without their observers). A renewal tells the feed where its grain is, so subscribers that missed
/// something catch up. The periodic renewals are spread over the period in <see cref="RenewSlices"/> slices, each feed
/// in the slice of its key: renewing a thousand feeds in one burst delayed the appends that met it.
/// </summary>
public abstract partial class FeedRegistry<TFeed, TSink> : BackgroundService
    where TFeed : Feed<TSink>
    where TSink : class
{
    private readonly Dictionary<string, TFeed> _feeds = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ILocalSilo _silo;
    private readonly TimeSpan _renewPeriod;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _renewNow = new(0, 1);

    /// <summary>Into how many slices the periodic renewals are spread (one slice every period / slices).</summary>
    internal const int RenewSlices = 20;

    protected FeedRegistry(ILocalSilo silo, TimeSpan renewPeriod, ILogger logger)
    {
        _silo = silo;
        _renewPeriod = renewPeriod;
        _logger = logger;
    }

    /// <summary>How many grains this gateway is subscribed to.</summary>
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

    /// <summary>A new feed for <paramref name="key"/>, registered as a grain observer.</summary>
    protected abstract TFeed Create(string key);

    /// <summary>Subscribes (or renews) the feed with its grain.</summary>
    protected abstract Task SubscribeAsync(TFeed feed);

    /// <summary>Ends the feed's subscription and its observer registration.</summary>
    protected abstract Task UnsubscribeAsync(TFeed feed);

    /// <summary>
    /// Adds <paramref name="sink"/> to the feed of <paramref name="key"/>, subscribing first if nobody here is yet.
    /// Fails like the grain's subscription.
    /// </summary>
    internal async Task<TFeed> AttachAsync(string key, TSink sink)
    {
        TFeed feed;
        Task subscription;
        lock (_gate)
        {
            if (!_feeds.TryGetValue(key, out feed!))
            {
                feed = Create(key);
                _feeds.Add(key, feed);
            }

            feed.Add(sink);
            subscription = feed.Subscription ??= SubscribeAsync(feed);
        }

        try
        {
            await subscription.ConfigureAwait(false);
            return feed;
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

            Detach(key, sink);
            throw;
        }
    }

    /// <summary>Removes <paramref name="sink"/>; the last one out ends this gateway's subscription.</summary>
    internal void Detach(string key, TSink sink)
    {
        TFeed? emptied = null;
        lock (_gate)
        {
            if (_feeds.TryGetValue(key, out var feed))
            {
                feed.Remove(sink);
                if (feed.IsEmpty)
                {
                    _feeds.Remove(key);
                    emptied = feed;
                }
            }
        }

        if (emptied is not null)
        {
            _ = EndAsync(emptied);
        }
    }

    /// <summary>Renews every subscription soon (what a lost silo triggers).</summary>
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watch = WatchMembershipAsync(stoppingToken);
        using var timer = new PeriodicTimer(_renewPeriod / RenewSlices);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        var now = _renewNow.WaitAsync(stoppingToken);
        var slice = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var woke = await Task.WhenAny(tick, now).ConfigureAwait(false);
                await woke.ConfigureAwait(false);
                if (woke == tick)
                {
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                    var due = slice;
                    slice = (slice + 1) % RenewSlices;
                    await RenewAsync(feed => SliceOf(feed.Key) == due, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    now = _renewNow.WaitAsync(stoppingToken);
                    await RenewAsync(_ => true, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await watch.ConfigureAwait(false);
    }

    /// <summary>The renewal slice of a feed: the same for a key all its life, spread evenly over keys.</summary>
    internal static int SliceOf(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % RenewSlices);

    private async Task RenewAsync(Func<TFeed, bool> due, CancellationToken cancellationToken)
    {
        TFeed[] feeds;
        lock (_gate)
        {
            feeds = [.. _feeds.Values.Where(f => f.Subscription is { IsCompletedSuccessfully: true } && due(f))];
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
                    LogRenewFailed(_logger, exception, feed.Key);
                }
            }).ConfigureAwait(false);
    }

    private async Task EndAsync(TFeed feed)
    {
        try
        {
            // Only once the subscribe call has ended, or the grain could keep an observer nobody holds.
            if (feed.Subscription is { } subscription)
            {
                await subscription.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await UnsubscribeAsync(feed).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Harmless: the grain drops the observer when it expires.
            LogUnsubscribeFailed(_logger, exception, feed.Key);
        }
    }

    private async Task WatchMembershipAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in _silo.SiloDeathsAsync(stoppingToken).ConfigureAwait(false))
            {
                RenewSoon();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the subscription to {Key}; the next renewal tries again")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unsubscribe from {Key}; its grain drops the observer when it expires")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string key);
}
