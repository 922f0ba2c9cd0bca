using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Calls;
using Sessions.Gateway.Silo;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// This gateway's subscriptions to sessions (see <see cref="FeedRegistry{TFeed, TSink}"/>). The grain factory makes and
/// deletes the observer references; calls go through <see cref="GrainCalls"/> (a subscription is renewed, so it is safe
/// to resend).
/// </summary>
public sealed class SessionFeeds(
    IGrainFactory grainFactory,
    GrainCalls calls,
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
        var subscription = await calls.RetrySafeAsync(() => calls.Session(feed.Key).SubscribeAsync(feed.Reference!)).ConfigureAwait(false);
        feed.OnHead(subscription.LastSeq);
    }

    protected override async Task UnsubscribeAsync(SessionFeed feed)
    {
        try
        {
            await calls.Session(feed.Key).UnsubscribeAsync(feed.Reference!).ConfigureAwait(false);
        }
        finally
        {
            grainFactory.DeleteObjectReference<ISessionObserver>(feed.Reference!);
        }
    }
}
