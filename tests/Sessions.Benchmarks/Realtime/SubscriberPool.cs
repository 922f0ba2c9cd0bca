using System.Diagnostics;
using System.Net;

namespace Sessions.Benchmarks.Realtime;

/// <summary>The reading subscribers of one server: one connection and one subscription each, <c>perTopic</c> per topic.</summary>
internal sealed class SubscriberPool : IAsyncDisposable
{
    private SubscriberPool(Subscriber[] subscribers, TimeSpan took)
    {
        Subscribers = subscribers;
        Took = took;
    }

    public Subscriber[] Subscribers { get; }

    /// <summary>How long connecting and subscribing all of them took.</summary>
    public TimeSpan Took { get; }

    /// <summary>
    /// Opens <c>topics × perTopic</c> connections, <paramref name="concurrency"/> at a time; subscriber i subscribes to
    /// topic i mod topics from seq 0 and counts once the server confirmed. Fails with the first error if any fails.
    /// </summary>
    public static async Task<SubscriberPool> ConnectAsync(IPEndPoint server, string[] topics, int perTopic, int concurrency, ReceiptLog receipts)
    {
        var clock = Stopwatch.StartNew();
        var subscribers = new Subscriber?[topics.Length * perTopic];
        var failures = 0;
        Exception? first = null;
        try
        {
            await Parallel.ForAsync(0, subscribers.Length, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    var subscriber = subscribers[i] = await Subscriber.ConnectAsync(server, receipts, receiveBufferBytes: null, timeout.Token);
                    await subscriber.SubscribeAsync(topics[i % topics.Length], afterSeq: 0, timeout.Token);
                    await subscriber.Subscribed.WaitAsync(timeout.Token);
                }
                catch (Exception exception)
                {
                    if (Interlocked.Increment(ref failures) == 1)
                    {
                        first = exception;
                    }
                }
            });
            if (first is not null)
            {
                throw new InvalidOperationException(
                    $"{failures} of {subscribers.Length} subscribers of {server} failed to connect or subscribe; the first: {first.GetType().Name}: {first.Message}", first);
            }
        }
        catch
        {
            foreach (var subscriber in subscribers)
            {
                if (subscriber is not null)
                {
                    await subscriber.DisposeAsync();
                }
            }

            throw;
        }

        return new SubscriberPool([.. subscribers.Select(s => s!)], clock.Elapsed);
    }

    /// <summary>Over all subscribers: messages received, seqs skipped, seqs repeated, and connections whose reading ended.</summary>
    public (long Received, long Gaps, long Repeats, int Ended, string? FirstEnd) Check() => (
        Subscribers.Sum(s => s.Received),
        Subscribers.Sum(s => s.Gaps),
        Subscribers.Sum(s => s.Repeats),
        Subscribers.Count(s => s.Ended is not null),
        Subscribers.Select(s => s.Ended).FirstOrDefault(e => e is not null));

    public async ValueTask DisposeAsync()
    {
        foreach (var subscriber in Subscribers)
        {
            await subscriber.DisposeAsync();
        }
    }
}
