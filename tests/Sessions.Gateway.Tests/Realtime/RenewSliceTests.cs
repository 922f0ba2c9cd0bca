using Sessions.Gateway.Realtime;
using Xunit;

namespace Sessions.Gateway.Tests.Realtime;

/// <summary>The periodic renewals of a gateway's feeds are spread over the period, not one burst per period.</summary>
public sealed class RenewSliceTests
{
    [Fact]
    public void Session_keys_spread_evenly_over_the_renewal_slices()
    {
        var perSlice = new int[FeedRegistry<SessionFeed, ISessionSink>.RenewSlices];
        for (var i = 0; i < 1000; i++)
        {
            perSlice[FeedRegistry<SessionFeed, ISessionSink>.SliceOf($"s_{Guid.NewGuid():N}")]++;
        }

        // 50 a slice on average; a burst of all thousand (or of a few slices) is what this rules out.
        Assert.All(perSlice, count => Assert.InRange(count, 15, 100));
    }

    [Fact]
    public void A_key_keeps_its_slice()
    {
        const string Key = "s_0123456789abcdef";
        Assert.Equal(FeedRegistry<SessionFeed, ISessionSink>.SliceOf(Key), FeedRegistry<SessionFeed, ISessionSink>.SliceOf(new string(Key.AsSpan())));
    }
}
