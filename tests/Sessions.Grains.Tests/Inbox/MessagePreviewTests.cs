using System.Text.Json;

namespace Sessions.Grains.Tests.Inbox;

public sealed class MessagePreviewTests
{
    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("exactly10!", 10, "exactly10!")]
    [InlineData("abcdefghijk", 10, "abcdefghij")]
    [InlineData("abcdefghi\U0001F600", 10, "abcdefghi")]
    [InlineData("abcdefgh\U0001F600", 10, "abcdefgh\U0001F600")]
    [InlineData("\U0001F600", 1, "")]
    public void Cutting_keeps_at_most_the_limit_and_never_half_a_surrogate_pair(string text, int maxLength, string expected)
    {
        Assert.Equal(expected, MessagePreview.Cut(text, maxLength));
    }

    [Fact]
    public void A_string_text_is_the_preview_and_anything_else_is_the_content_as_compact_json()
    {
        var text = JsonDocument.Parse("""{"text": "hi there", "extra": [1, 2]}""").RootElement;
        var number = JsonDocument.Parse("""{"text": 5, "note": "Grüße <b>"}""").RootElement;

        Assert.Equal("hi there", MessagePreview.Of(text, 200));
        Assert.Equal("""{"text":5,"note":"Grüße <b>"}""", MessagePreview.Of(number, 200));
        Assert.Equal("""{"text":5""", MessagePreview.Of(number, 9));
    }
}
