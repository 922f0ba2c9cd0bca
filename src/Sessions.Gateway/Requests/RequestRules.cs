using System.Text.Json;
using Sessions.Abstractions;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Requests;

/// <summary>
/// The checks a request's fields get before anything is called or written. Rules about messages and sessions
/// proper (kind names, content size, participants' existence) belong to the grain, which enforces them for every
/// caller; the gateway checks what only it sees: presence, JSON shapes, and the ids it routes on.
/// </summary>
internal static class RequestRules
{
    /// <summary>True for an id that meets <see cref="IdRule"/>; a path id that does not names nothing.</summary>
    public static bool IsValidId(string? id, LimitsOptions limits) => IdRule.IsValid(id, limits);

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
            errors.Add(field, $"{field} {IdRule.Describe(limits)}.");
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

    /// <summary>
    /// Optional metadata: absent, null, or a JSON object. Its size and text are the grain's to judge
    /// (<c>MessageValidator.CheckMetadata</c>), measured the same way for every route and every caller.
    /// </summary>
    public static ValidationErrors Metadata(this ValidationErrors errors, string field, JsonElement? value)
    {
        if (value is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            errors.Add(field, $"{field} must be a JSON object or null.");
        }

        return errors;
    }

    /// <summary>Metadata that is JSON null is stored as no metadata.</summary>
    public static JsonElement? NullIfJsonNull(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.Null } ? null : value;
}
