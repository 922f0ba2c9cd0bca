using System.Text.Json;
using System.Text.RegularExpressions;
using Sessions.Abstractions;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Requests;

/// <summary>
/// The checks a request's fields get before anything is called or written. Rules about messages and sessions
/// proper (kind names, content size, participants' existence) belong to the grain, which enforces them for every
/// caller; the gateway checks what only it sees: presence, JSON shapes, and the ids it routes on.
/// </summary>
internal static partial class RequestRules
{
    /// <summary>True for an id of 1..MaxIdLength characters of [A-Za-z0-9._:@-].</summary>
    public static bool IsValidId(string? id, LimitsOptions limits) =>
        !string.IsNullOrEmpty(id) && id.Length <= limits.MaxIdLength && IdPattern().IsMatch(id);

    public static string IdRule(LimitsOptions limits) =>
        $"must be 1 to {limits.MaxIdLength} characters of letters, digits and . _ : @ -";

    public static ValidationErrors Required(this ValidationErrors errors, string field, object? value)
    {
        if (value is null)
        {
            errors.Add(field, $"{field} is required.");
        }

        return errors;
    }

    public static ValidationErrors RequiredText(this ValidationErrors errors, string field, string? value)
    {
        if (value is null)
        {
            errors.Add(field, $"{field} is required.");
        }
        else if (value.Length == 0)
        {
            errors.Add(field, $"{field} must not be empty.");
        }

        return errors;
    }

    public static ValidationErrors Id(this ValidationErrors errors, string field, string? value, LimitsOptions limits)
    {
        if (value is not null && !IsValidId(value, limits))
        {
            errors.Add(field, $"{field} {IdRule(limits)}.");
        }

        return errors;
    }

    /// <summary>
    /// An id or token taken from the query string: no control characters (<see cref="StorableText"/>). Kestrel already
    /// refuses a NUL in the path, and ids in the path meet the id rule; query values get here as the client sent them.
    /// </summary>
    public static ValidationErrors NoControlCharacters(this ValidationErrors errors, string field, string? value)
    {
        if (StorableText.HasControlCharacter(value) || !StorableText.IsStorable(value))
        {
            errors.Add(field, $"{field} must not contain control characters.");
        }

        return errors;
    }

    /// <summary>A required JSON object (message content).</summary>
    public static ValidationErrors JsonObject(this ValidationErrors errors, string field, JsonElement? value)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            errors.Add(field, $"{field} is required and must be a JSON object.");
        }
        else if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, $"{field} must be a JSON object.");
        }

        return errors;
    }

    /// <summary>Optional metadata: absent, null, or an object of at most MaxMetadataBytes (compact UTF-8 JSON).</summary>
    public static ValidationErrors Metadata(this ValidationErrors errors, string field, JsonElement? value, LimitsOptions limits)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return errors;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, $"{field} must be a JSON object or null.");
        }
        else if (CompactSize(element) > limits.MaxMetadataBytes)
        {
            errors.Add(field, $"{field} is larger than {limits.MaxMetadataBytes} bytes.");
        }

        return errors;
    }

    /// <summary>Metadata that is JSON null is stored as no metadata.</summary>
    public static JsonElement? NullIfJsonNull(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.Null } ? null : value;

    private static long CompactSize(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            element.WriteTo(writer);
        }

        return buffer.WrittenCount;
    }

    [GeneratedRegex("^[A-Za-z0-9._:@-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
