using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Gateway.Silo;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Gateway.Grains;

namespace Sessions.Gateway.Realtime;

/// <summary>This gateway's subscriptions to sessions (see <see cref="FeedRegistry{TFeed, TSink}"/>).</summary>
public sealed class SessionFeeds(
    IGrainFactory grainFactory,
    ChatSessionGrains sessions,
    RetrySafeCalls retries,
    ILocalSilo silo,
    IOptions<RealtimeOptions> options,
    ILogger<SessionFeeds> logger)
    : FeedRegistry<SessionFeed, ISessionSink>(silo, options.Value.ResubscribePeriod, logger)
{
    protected override SessionFeed Create(string key)
    {
        var feed = new SessionFeed(key);
        feed.Reference = grainFactory.CreateObjectReference<ISessionObserver>(feed);
        return feed;
    }

    protected override async Task SubscribeAsync(SessionFeed feed)
    {
        var subscription = await retries.ExecuteAsync(() => sessions.Get(feed.Key).SubscribeAsync(feed.Reference!)).ConfigureAwait(false);
        feed.OnHead(subscription.LastSeq);
    }

    protected override async Task UnsubscribeAsync(SessionFeed feed)
    {
        try
        {
            await sessions.Get(feed.Key).UnsubscribeAsync(feed.Reference!).ConfigureAwait(false);
        }
        finally
        {
            grainFactory.DeleteObjectReference<ISessionObserver>(feed.Reference!);
        }
    }
}
