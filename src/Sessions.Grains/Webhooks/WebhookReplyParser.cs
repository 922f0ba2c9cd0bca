using System.Text.Json;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// Reads whole reply messages from a 2xx response: a JSON body <c>{"messages":[{"kind":..,"content":{..},"metadata":{..}}]}</c>
/// (an empty body, or an object without <c>messages</c>, means no reply), or one NDJSON <c>message</c> line. All or
/// nothing: one malformed message discards the body's replies and says why, since appending half of what the agent
/// meant is worse than appending none. A malformed reply never undoes the delivery: the agent did receive it.
/// </summary>
internal static class WebhookReplyParser
{
    public static (IReadOnlyList<WebhookReplyMessage> Replies, string? Error) ParseBody(ReadOnlyMemory<byte> body)
    {
        if (IsBlank(body.Span))
        {
            return ([], null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ([], "the reply body must be a JSON object");
            }

            if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
            {
                return ([], null);
            }

            if (messages.ValueKind != JsonValueKind.Array)
            {
                return ([], "messages must be an array");
            }

            var replies = new List<WebhookReplyMessage>(messages.GetArrayLength());
            var index = 0;
            foreach (var element in messages.EnumerateArray())
            {
                if (!TryParseMessage(element, $"messages[{index++}]", out var message, out var error))
                {
                    return ([], error);
                }

                replies.Add(message);
            }

            return (replies, null);
        }
        catch (JsonException exception)
        {
            return ([], $"the reply body is not valid JSON: {exception.Message}");
        }
    }

    /// <summary>Checks the shape of one message and copies it out of its document (which the caller disposes).</summary>
    public static bool TryParseMessage(JsonElement element, string where, out WebhookReplyMessage message, out string? error)
    {
        message = null!;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{where} must be an object";
            return false;
        }

        if (!element.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() is not { Length: > 0 } kindText)
        {
            error = $"{where}.kind must be a non-empty string";
            return false;
        }

        if (!element.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object)
        {
            error = $"{where}.content must be an object";
            return false;
        }

        JsonElement? metadata = null;
        if (element.TryGetProperty("metadata", out var meta) && meta.ValueKind != JsonValueKind.Null)
        {
            if (meta.ValueKind != JsonValueKind.Object)
            {
                error = $"{where}.metadata must be an object or null";
                return false;
            }

            metadata = meta.Clone();
        }

        message = new WebhookReplyMessage(kindText, content.Clone(), metadata);
        error = null;
        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> body) => body.Trim(" \t\r\n"u8).IsEmpty;
}
