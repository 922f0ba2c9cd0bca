using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace Sessions.Storage.Paging;

/// <summary>
/// Opaque keyset cursors: base64url of a one-byte listing tag, then the position of the last row returned
/// (its id, or its created_at as UTC ticks followed by its text id or its uuid). The tag keeps a cursor from one kind
/// of listing out of another: a uuid-keyed listing (deliveries) refuses a session cursor even when the session's id
/// happens to be a uuid written as text.
/// </summary>
internal static class KeysetCursor
{
    private const byte IdTag = (byte)'I';
    private const byte TimeAndIdTag = (byte)'T';
    private const byte TimeAndUuidTag = (byte)'U';
    private const int UuidBytes = 16;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string FromId(string id)
    {
        var bytes = new byte[1 + StrictUtf8.GetByteCount(id)];
        bytes[0] = IdTag;
        StrictUtf8.GetBytes(id, bytes.AsSpan(1));
        return Base64Url.EncodeToString(bytes);
    }

    public static string ToId(string cursor)
    {
        var bytes = Decode(cursor);
        return bytes.Length > 1 && bytes[0] == IdTag ? ReadId(cursor, bytes.AsSpan(1)) : throw new InvalidCursorException(cursor);
    }

    public static string FromTimeAndId(DateTimeOffset at, string id)
    {
        var bytes = new byte[1 + sizeof(long) + StrictUtf8.GetByteCount(id)];
        bytes[0] = TimeAndIdTag;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), at.UtcTicks);
        StrictUtf8.GetBytes(id, bytes.AsSpan(1 + sizeof(long)));
        return Base64Url.EncodeToString(bytes);
    }

    public static (DateTimeOffset At, string Id) ToTimeAndId(string cursor)
    {
        var bytes = Decode(cursor);
        if (bytes.Length <= 1 + sizeof(long) || bytes[0] != TimeAndIdTag)
        {
            throw new InvalidCursorException(cursor);
        }

        return (ReadTime(cursor, bytes), ReadId(cursor, bytes.AsSpan(1 + sizeof(long))));
    }

    public static string FromTimeAndUuid(DateTimeOffset at, Guid id)
    {
        var bytes = new byte[1 + sizeof(long) + UuidBytes];
        bytes[0] = TimeAndUuidTag;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), at.UtcTicks);
        id.TryWriteBytes(bytes.AsSpan(1 + sizeof(long)), bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static (DateTimeOffset At, Guid Id) ToTimeAndUuid(string cursor)
    {
        var bytes = Decode(cursor);
        return bytes.Length == 1 + sizeof(long) + UuidBytes && bytes[0] == TimeAndUuidTag
            ? (ReadTime(cursor, bytes), new Guid(bytes.AsSpan(1 + sizeof(long)), bigEndian: true))
            : throw new InvalidCursorException(cursor);
    }

    // The ticks follow the tag byte.
    private static DateTimeOffset ReadTime(string cursor, byte[] bytes)
    {
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        return ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
            ? throw new InvalidCursorException(cursor)
            : new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private static byte[] Decode(string cursor)
    {
        try
        {
            return Base64Url.DecodeFromChars(cursor);
        }
        catch (FormatException e)
        {
            throw new InvalidCursorException(cursor, e);
        }
    }

    private static string ReadId(string cursor, ReadOnlySpan<byte> bytes)
    {
        string id;
        try
        {
            id = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidCursorException(cursor, e);
        }

        // No stored id holds a NUL (a text column cannot): such a cursor was not issued here, and would fail the query.
        return id.Contains('\0', StringComparison.Ordinal) ? throw new InvalidCursorException(cursor) : id;
    }
}
