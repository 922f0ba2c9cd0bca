using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Calls;
using Sessions.Gateway.Silo;

namespace Sessions.Gateway.Realtime;

/// <summary>This gateway's subscriptions to inboxes (see <see cref="FeedRegistry{TFeed, TSink}"/>).</summary>
public sealed class InboxFeeds(
    IGrainFactory grainFactory,
    GrainCalls calls,
    ILocalSilo silo,
    IOptions<RealtimeOptions> options,
    ILogger<InboxFeeds> logger)
    : FeedRegistry<InboxFeed, IInboxSink>(silo, options.Value.ResubscribePeriod, logger)
{
    /// <summary>A fresh snapshot for a new subscriber of <paramref name="feed"/> (renewing the feed's subscription too).</summary>
    internal Task<InboxSnapshot> SnapshotAsync(InboxFeed feed) =>
        calls.RetrySafeAsync(() => calls.Get<IInboxGrain>(feed.Key).SubscribeAsync(feed.Reference!)).AsTask();

    protected override InboxFeed Create(string key)
    {
        var feed = new InboxFeed(key);
        feed.Reference = grainFactory.CreateObjectReference<IInboxObserver>(feed);
        return feed;
    }

    protected override async Task SubscribeAsync(InboxFeed feed) => feed.OnSnapshot(await SnapshotAsync(feed).ConfigureAwait(false));

    protected override async Task UnsubscribeAsync(InboxFeed feed)
    {
        try
        {
            await calls.Get<IInboxGrain>(feed.Key).UnsubscribeAsync(feed.Reference!).ConfigureAwait(false);
        }
        finally
        {
            grainFactory.DeleteObjectReference<IInboxObserver>(feed.Reference!);
        }
    }
}
