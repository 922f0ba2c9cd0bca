namespace Sessions.Grains.Tests.Inbox;

public sealed class InboxCursorTests
{
    [Fact]
    public void A_cursor_reads_back_as_the_position_it_was_made_from()
    {
        var position = new InboxPosition(new DateTimeOffset(2025, 5, 6, 7, 8, 9, 123, TimeSpan.Zero).AddTicks(4560), "s-été-\U0001F600");

        Assert.True(InboxCursor.TryParse(InboxCursor.After(position), out var read));
        Assert.Equal(position, read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("WAAAAAAAAAAA")]
    [InlineData("VAAAAAAAAAAAcw")]
    [InlineData("WP_____________cw")]
    [InlineData("WAAAAAAAAAAA_w")]
    public void Anything_else_is_refused(string cursor)
    {
        Assert.False(InboxCursor.TryParse(cursor, out _));
    }
}
