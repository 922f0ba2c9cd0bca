using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sessions.Gateway.Requests;

/// <summary>
/// A request member that may be absent, which a partial update must tell from an explicit <c>null</c>: absent leaves a
/// value alone, null resets it. Read with <see cref="OptionalJsonConverter{T}"/>.
/// </summary>
public readonly record struct Optional<T>(bool IsPresent, T? Value)
{
    public static Optional<T> Of(T? value) => new(true, value);
}

/// <summary>
/// Reads <see cref="Optional{T}"/>: the serializer calls it only for members present in the JSON, null included
/// (<see cref="HandleNull"/>), so an absent member keeps the default, not present.
/// </summary>
public sealed class OptionalJsonConverter<T> : JsonConverter<Optional<T>>
{
    public override bool HandleNull => true;

    public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return Optional<T>.Of(default);
        }

        try
        {
            return Optional<T>.Of(JsonSerializer.Deserialize(ref reader, TypeInfo(options)));
        }
        catch (JsonException e)
        {
            // The nested read reports its own root ("$") as the path; a fresh exception gets this member's path instead.
            throw new JsonException(null, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.Value, TypeInfo(options));

    private static JsonTypeInfo<T?> TypeInfo(JsonSerializerOptions options) => (JsonTypeInfo<T?>)options.GetTypeInfo(typeof(T));
}
