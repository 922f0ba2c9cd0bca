using System.Text.Json;
using Npgsql;

namespace Sessions.Storage.Internal;

/// <summary>
/// jsonb travels as text both ways: written from the caller's raw JSON, read back as the server's normalized
/// text (jsonb reorders keys and drops whitespace), so what callers get is exactly what the database holds.
/// </summary>
internal static class JsonColumn
{
    public static JsonElement Read(NpgsqlDataReader reader, int ordinal) => Parse(reader.GetString(ordinal));

    public static JsonElement? ReadNullable(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Parse(reader.GetString(ordinal));

    public static string ToText(JsonElement value, string parameterName) =>
        value.ValueKind == JsonValueKind.Undefined
            ? throw new ArgumentException("The JSON value is undefined (default JsonElement).", parameterName)
            : value.GetRawText();

    private static JsonElement Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
