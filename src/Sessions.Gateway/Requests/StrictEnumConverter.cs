using System.Text.Json.Serialization;

namespace Sessions.Gateway.Requests;

/// <summary>
/// Reads an enum only from its JSON name (<c>"human"</c>), never from a number (<c>1</c>) or a numeric string:
/// a number where a name belongs is a client bug to report, not a value to guess.
/// </summary>
public sealed class StrictEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
