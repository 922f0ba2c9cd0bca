using System.Text;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// The start of a response body as text for the delivery log: at most <see cref="WebhookAttemptResult.ExcerptBytes"/>
/// bytes once encoded as UTF-8, invalid bytes replaced by U+FFFD, a character cut in half at the end dropped.
/// </summary>
internal static class ResponseExcerpt
{
    public static string? From(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        var head = body[..Math.Min(body.Length, WebhookAttemptResult.ExcerptBytes)];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(head.Length)];
        var count = decoder.GetChars(head, chars, flush: head.Length == body.Length);

        // Each invalid byte became a three-byte U+FFFD: keep whole characters while the text fits the log column.
        var text = new string(chars, 0, count);
        var (bytes, end) = (0, 0);
        foreach (var rune in text.EnumerateRunes())
        {
            bytes += rune.Utf8SequenceLength;
            if (bytes > WebhookAttemptResult.ExcerptBytes)
            {
                return text[..end];
            }

            end += rune.Utf16SequenceLength;
        }

        return text;
    }
}
