namespace Sessions.Grains.Webhooks;

/// <summary>Reads a response body into memory, but never more than a limit plus one byte: enough to know it is too large.</summary>
internal static class BoundedBody
{
    private const int ReadSize = 16 * 1024;

    public static async Task<(byte[] Body, bool TooLarge)> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(ReadSize, maxBytes + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes)
                {
                    return (buffer, true);
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (buffer[..length], false);
            }

            length += read;
        }
    }
}
