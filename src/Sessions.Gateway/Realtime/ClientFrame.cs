using System.Text.Json;
using Sessions.Abstractions;
using Sessions.Gateway.Problems;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Realtime;

/// <summary>A frame a WebSocket client sent: a JSON object with a string <c>type</c> and, optionally, an <c>id</c> echoed in the reply.</summary>
internal sealed class ClientFrame
{
    private readonly JsonElement _root;

    private ClientFrame(JsonElement root, string type, string? id)
    {
        _root = root;
        Type = type;
        Id = id;
    }

    public string Type { get; }

    public string? Id { get; }

    /// <summary>
    /// Parses a frame; a frame that is not a JSON object with a string type throws <see cref="JsonException"/>, as does
    /// one holding bytes that are not UTF-8 or an escaped half of a surrogate pair: <see cref="JsonDocument"/> accepts
    /// both, and reading such a string or property name later throws <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <remarks>
    /// One pass, as for an HTTP append: the frame is parsed into an element that owns a copy of its bytes (the receive
    /// buffer is reused for the next frame), then screened with two vectorized scans
    /// (<see cref="StorableText.HasOnlyStorableStrings"/>); only a frame the screen flags is read token by token.
    /// </remarks>
    public static ClientFrame Parse(ReadOnlyMemory<byte> json)
    {
        var root = JsonElement.Parse(json.Span, new JsonDocumentOptions { MaxDepth = 64 });
        if (!StorableText.HasOnlyStorableStrings(json.Span))
        {
            CheckText(json.Span);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("a frame is a JSON object with a string 'type'.");
        }

        var id = root.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
        return new ClientFrame(root, type.GetString()!, id);
    }

    /// <summary>Throws for a string or property name that is not UTF-8 or escapes half a surrogate pair (a NUL is the grain's to refuse).</summary>
    private static void CheckText(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        while (reader.Read())
        {
            if (StorableText.CheckToken(ref reader) is JsonTextProblem.InvalidUtf8 or JsonTextProblem.UnpairedSurrogate)
            {
                throw new JsonException($"the string at byte {reader.TokenStartIndex + 1} is not UTF-8, or escapes half of a UTF-16 surrogate pair without the other half.");
            }
        }
    }

    /// <summary>A string member, or null when absent or not a string.</summary>
    public string? GetString(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A boolean member, or null when absent or not a boolean.</summary>
    public bool? GetBoolean(string name) =>
        _root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>An optional non-negative integer member (absent or null is null); false with the reason otherwise.</summary>
    public bool TryGetSeq(string name, out long? seq, out string error)
    {
        seq = null;
        error = "";
        if (!_root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0)
        {
            seq = number;
            return true;
        }

        error = $"{name} must be a non-negative integer of at most {long.MaxValue}.";
        return false;
    }

    /// <summary>
    /// The append a <c>send</c> frame asks for: its session_id, and the rest mapped as the body of
    /// <c>POST /api/sessions/{id}/messages</c> is (<see cref="AppendRequests"/>), every missing or mistyped member named.
    /// </summary>
    public (string? SessionId, AppendMessageCommand? Command, ValidationErrors Errors) ToAppend()
    {
        var errors = new ValidationErrors();
        var sessionId = AppendRequests.Text(_root, "session_id", errors, required: true);
        var command = AppendRequests.ToCommand(_root, errors);
        return (sessionId, errors.Any ? null : command, errors);
    }
}
