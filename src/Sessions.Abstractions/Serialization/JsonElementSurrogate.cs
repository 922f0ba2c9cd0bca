using System.Runtime.InteropServices;
using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>
/// How a <see cref="JsonElement"/> (message content, metadata) crosses a grain call: as its UTF-8 JSON text. Orleans
/// finds the converter through <see cref="RegisterConverterAttribute"/>, so anyone who references this assembly can
/// call the grains without further setup.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.JsonElement")]
public readonly struct JsonElementSurrogate(byte[] utf8Json)
{
    [Id(0)]
    public readonly byte[] Utf8Json = utf8Json;
}

[RegisterConverter]
public sealed class JsonElementSurrogateConverter : IConverter<JsonElement, JsonElementSurrogate>
{
    // A default JsonElement (no value at all) crosses as no bytes and arrives as default, for the grain to refuse.
    public JsonElement ConvertFromSurrogate(in JsonElementSurrogate surrogate) =>
        surrogate.Utf8Json.Length == 0 ? default : JsonElement.Parse(surrogate.Utf8Json);

    public JsonElementSurrogate ConvertToSurrogate(in JsonElement value) =>
        new(value.ValueKind == JsonValueKind.Undefined ? [] : JsonMarshal.GetRawUtf8Value(value).ToArray());
}
