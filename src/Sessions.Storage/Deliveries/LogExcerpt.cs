using System.Text;

namespace Sessions.Storage.Deliveries;

/// <summary>
/// Fits text from outside (a webhook's response body, an exception message) into the delivery log: at most a
/// number of UTF-8 bytes, cut between characters, never inside one. What PostgreSQL cannot store (NUL, an unpaired
/// surrogate; see <see cref="StorableText"/>) becomes U+FFFD: a log keeps what it can rather than refuse the attempt.
/// </summary>
internal static class LogExcerpt
{
    public static string? Fit(string? text, int maxBytes)
    {
        if (text is null || (StorableText.IsStorable(text) && Encoding.UTF8.GetByteCount(text) <= maxBytes))
        {
            return text;
        }

        var excerpt = new StringBuilder(Math.Min(text.Length, maxBytes));
        Span<char> units = stackalloc char[2];
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            // EnumerateRunes already turns an unpaired surrogate into U+FFFD.
            var storable = rune.Value == 0 ? Rune.ReplacementChar : rune;
            bytes += storable.Utf8SequenceLength;
            if (bytes > maxBytes)
            {
                break;
            }

            excerpt.Append(units[..storable.EncodeToUtf16(units)]);
        }

        return excerpt.ToString();
    }
}
