using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace Sessions.Grains;

/// <summary>
/// The opaque page cursor of an inbox: base64url of a tag byte, the last entry's activity time (UTC ticks) and its
/// session id, so the next page starts just after that position even if entries have moved since.
/// </summary>
internal static class InboxCursor
{
    private const byte Tag = (byte)'X';
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string After(InboxPosition position)
    {
        var bytes = new byte[1 + sizeof(long) + StrictUtf8.GetByteCount(position.SessionId)];
        bytes[0] = Tag;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), position.LastActivityAt.UtcTicks);
        StrictUtf8.GetBytes(position.SessionId, bytes.AsSpan(1 + sizeof(long)));
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryParse(string cursor, out InboxPosition position)
    {
        position = default;
        var bytes = new byte[Base64Url.GetMaxDecodedLength(cursor.Length)];
        if (Base64Url.DecodeFromChars(cursor, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != cursor.Length || written <= 1 + sizeof(long) || bytes[0] != Tag)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        try
        {
            position = new InboxPosition(new DateTimeOffset(ticks, TimeSpan.Zero), StrictUtf8.GetString(bytes, 1 + sizeof(long), written - 1 - sizeof(long)));
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
