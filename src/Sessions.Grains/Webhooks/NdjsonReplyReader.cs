using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// Reads an <c>application/x-ndjson</c> reply line by line as it arrives, forwarding each
/// <c>{"type":"chunk","text":"..."}</c> to the <see cref="IWebhookReplySink"/> the moment its line is complete (not when
/// the response ends), and gathering <c>{"type":"message","kind":..,"content":..}</c> lines as whole replies. Lines of
/// other types are skipped, so agents may send more than this version knows. A line that is not a JSON object stops the
/// reply with an error. The byte count of the whole stream is bounded by <see cref="WebhookOptions.MaxResponseBytes"/>.
/// </summary>
internal sealed class NdjsonReplyReader(IWebhookReplySink? sink, int maxBytes, CancellationToken attemptToken, CancellationToken callerToken)
{
    private readonly List<WebhookReplyMessage> replies = [];
    private readonly ArrayBufferWriter<byte> head = new(WebhookAttemptResult.ExcerptBytes);
    private int chunks;
    private int lineNumber;
    private bool started;

    public async Task<NdjsonReply> ReadAsync(Stream stream)
    {
        try
        {
            var (error, tooLarge) = await ReadLinesAsync(stream);
            if (tooLarge)
            {
                error = $"response too large: more than {maxBytes} bytes";
            }

            var sinkError = await EndAsync(error);
            return new NdjsonReply(replies, chunks, tooLarge ? null : error ?? sinkError, tooLarge, head.WrittenSpan.ToArray());
        }
        catch (Exception exception) when (started)
        {
            await EndAsync(attemptToken.IsCancellationRequested && !callerToken.IsCancellationRequested
                ? "the webhook timed out before the reply ended"
                : $"the reply broke off: {exception.Message}");
            throw;
        }
    }

    private async Task<(string? Error, bool TooLarge)> ReadLinesAsync(Stream stream)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        long consumed = 0;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(attemptToken);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    consumed += line.Length + 1;
                    if (consumed > maxBytes)
                    {
                        return (null, true);
                    }

                    if (await HandleLineAsync(line) is { } error)
                    {
                        return (error, false);
                    }
                }

                if (consumed + buffer.Length > maxBytes)
                {
                    return (null, true);
                }

                if (read.IsCompleted)
                {
                    return (buffer.IsEmpty ? null : await HandleLineAsync(buffer), false);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async Task<string?> HandleLineAsync(ReadOnlySequence<byte> line)
    {
        lineNumber++;
        Keep(line);
        if (line.IsEmpty || IsBlank(line))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return $"line {lineNumber} must be a JSON object with a string \"type\"";
            }

            return type.GetString() switch
            {
                "chunk" => await HandleChunkAsync(root),
                "message" => HandleMessage(root),
                _ => null,
            };
        }
        catch (JsonException exception)
        {
            return $"line {lineNumber} is not valid JSON: {exception.Message}";
        }
    }

    private async Task<string?> HandleChunkAsync(JsonElement line)
    {
        if (!line.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
        {
            return $"line {lineNumber}: a chunk needs a string \"text\"";
        }

        // The session refuses empty chunks; an agent flushing an empty line of text loses nothing by its being skipped.
        if (text.GetString() is not { Length: > 0 } value)
        {
            return null;
        }

        var index = chunks++;
        if (sink is null)
        {
            return null;
        }

        try
        {
            if (!started)
            {
                started = true;
                await sink.OnStartAsync(attemptToken);
            }

            await sink.OnChunkAsync(index, value, attemptToken);
            return null;
        }
        catch (Exception exception) when (!attemptToken.IsCancellationRequested)
        {
            return $"the reply sink refused chunk {index}: {exception.Message}";
        }
    }

    private string? HandleMessage(JsonElement line)
    {
        if (!WebhookReplyParser.TryParseMessage(line, $"line {lineNumber}", out var message, out var error))
        {
            return error;
        }

        replies.Add(message);
        return null;
    }

    /// <summary>
    /// Ends the streamed reply once, if one started, with the caller's token rather than the attempt's, so a timeout still
    /// ends it. Returns why the sink failed to, if it did.
    /// </summary>
    private async Task<string?> EndAsync(string? error)
    {
        if (!started || sink is null)
        {
            return null;
        }

        started = false;
        try
        {
            await sink.OnEndAsync(error is null, error, callerToken);
            return null;
        }
        catch (Exception exception) when (!callerToken.IsCancellationRequested)
        {
            return $"the reply sink failed to end the reply: {exception.Message}";
        }
    }

    private void Keep(ReadOnlySequence<byte> line)
    {
        var room = WebhookAttemptResult.ExcerptBytes - head.WrittenCount;
        if (room <= 0)
        {
            return;
        }

        var part = line.Slice(0, Math.Min(room, line.Length));
        part.CopyTo(head.GetSpan((int)part.Length));
        head.Advance((int)part.Length);
        if (head.WrittenCount < WebhookAttemptResult.ExcerptBytes)
        {
            "\n"u8.CopyTo(head.GetSpan(1));
            head.Advance(1);
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            if (!segment.Span.Trim(" \t\r"u8).IsEmpty)
            {
                return false;
            }
        }

        return true;
    }
}
