using System.Buffers.Text;
using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// Writes a <see cref="MessagePage"/> as JSON from messages already serialized in the tail cache, byte-for-byte
/// what <see cref="SessionsJsonContext"/> would write for the page (a test holds it to that). The page is the
/// messages' JSON joined by commas inside a fixed frame, so it is sized first and written into one array: no
/// writer, no growing buffer, no copy at the end (the warm tail read's hot path).
/// </summary>
internal static class MessagePageWriter
{
    private static ReadOnlySpan<byte> Start => """{"messages":["""u8;

    private static ReadOnlySpan<byte> AfterSeq => ""","next_after_seq":"""u8;

    private static ReadOnlySpan<byte> BeforeSeq => ""","next_before_seq":"""u8;

    private static ReadOnlySpan<byte> Null => "null"u8;

    public static byte[] Write(IReadOnlyList<CachedMessage> messages, long? nextAfterSeq, long? nextBeforeSeq)
    {
        var length = Start.Length + 1 + AfterSeq.Length + Length(nextAfterSeq) + BeforeSeq.Length + Length(nextBeforeSeq) + 1;
        foreach (var message in messages)
        {
            length += message.Json.Length;
        }

        length += Math.Max(0, messages.Count - 1);
        var page = new byte[length];
        var at = Copy(Start, page, 0);
        for (var i = 0; i < messages.Count; i++)
        {
            if (i > 0)
            {
                page[at++] = (byte)',';
            }

            at = Copy(messages[i].Json, page, at);
        }

        page[at++] = (byte)']';
        at = Copy(AfterSeq, page, at);
        at = WriteNumber(nextAfterSeq, page, at);
        at = Copy(BeforeSeq, page, at);
        at = WriteNumber(nextBeforeSeq, page, at);
        page[at++] = (byte)'}';
        return at == page.Length ? page : throw new InvalidOperationException("The page was not sized right.");
    }

    private static int Length(long? number)
    {
        if (number is not { } value)
        {
            return Null.Length;
        }

        var digits = value < 0 ? 2 : 1;
        for (var rest = Math.Abs(value / 10); rest > 0; rest /= 10)
        {
            digits++;
        }

        return digits;
    }

    private static int WriteNumber(long? number, byte[] page, int at)
    {
        if (number is not { } value)
        {
            return Copy(Null, page, at);
        }

        Utf8Formatter.TryFormat(value, page.AsSpan(at), out var written);
        return at + written;
    }

    private static int Copy(ReadOnlySpan<byte> source, byte[] page, int at)
    {
        source.CopyTo(page.AsSpan(at));
        return at + source.Length;
    }
}
