namespace Sessions.Grains.Tests.Inbox;

public sealed class InboxOptionsTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new InboxOptions();

        Assert.Equal("Sessions:Inbox", InboxOptions.SectionName);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ReconcilePeriod);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ObserverExpiry);
        Assert.Equal(200, options.MaxPreviewLength);
        Assert.Equal(200, options.SnapshotSize);
    }
}
