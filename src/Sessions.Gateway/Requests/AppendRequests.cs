using System.Text.Json;
using Sessions.Abstractions;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Requests;

/// <summary>
/// The one mapping from an append request to <see cref="AppendMessageCommand"/>: the body of
/// <c>POST /api/sessions/{id}/messages</c> and a WebSocket <c>send</c> frame carry the same members and are read here
/// alike. It checks the request's shape only, naming every member that is missing or of the wrong JSON type at once;
/// what the values must be (kind names, sizes, storable text, client_message_id) is the session grain's to judge, for
/// HTTP callers and cluster clients alike (<c>MessageValidator</c>). Content and metadata are passed on as the parsed
/// request holds them, never read here.
/// </summary>
internal static class AppendRequests
{
    /// <summary>The command <paramref name="request"/> (a JSON object) asks for, or null with what is wrong in <paramref name="errors"/>.</summary>
    public static AppendMessageCommand? ToCommand(JsonElement request, ValidationErrors errors)
    {
        var senderId = Text(request, "sender_id", errors, required: true);
        var kind = Text(request, "kind", errors, required: true);
        var clientMessageId = Text(request, "client_message_id", errors, required: false);
        var content = Member(request, "content");
        if (content is not { } element)
        {
            errors.Add("content", "content is required and must be a JSON object.");
        }
        else if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("content", "content must be a JSON object.");
        }

        // Metadata that is JSON null is no metadata.
        var metadata = Member(request, "metadata");
        if (metadata is { ValueKind: not JsonValueKind.Object })
        {
            errors.Add("metadata", "metadata must be a JSON object or null.");
        }

        var expectedSeq = Seq(request, "expected_seq", errors);
        return errors.Any
            ? null
            : new AppendMessageCommand(senderId!, kind!, content!.Value, metadata, clientMessageId, expectedSeq);
    }

    /// <summary>A string member: null when absent or JSON null (an error if <paramref name="required"/>), an error when not a string.</summary>
    public static string? Text(JsonElement request, string name, ValidationErrors errors, bool required)
    {
        if (Member(request, name) is not { } value)
        {
            if (required)
            {
                errors.Add(name, $"{name} is required.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(name, $"{name} must be a string.");
            return null;
        }

        var text = value.GetString()!;
        if (required && text.Length == 0)
        {
            errors.Add(name, $"{name} must not be empty.");
        }

        return text;
    }

    /// <summary>An optional non-negative integer member (absent or JSON null is null).</summary>
    private static long? Seq(JsonElement request, string name, ValidationErrors errors)
    {
        if (Member(request, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seq) && seq >= 0)
        {
            return seq;
        }

        errors.Add(name, $"{name} must be a non-negative integer of at most {long.MaxValue}.");
        return null;
    }

    /// <summary>The member's value; null when it is absent or JSON null. With a name given twice, the last one counts.</summary>
    private static JsonElement? Member(JsonElement request, string name) =>
        request.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
