using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sessions.Actors;

/// <summary>
/// A grain call result already in its wire form: the UTF-8 JSON of a <typeparamref name="T"/>. A grain method
/// returning <c>Task&lt;Serialized&lt;T&gt;&gt;</c> crosses the call boundary without another serialization pass, and
/// the caller gets the bytes without parsing them — for answers that go straight out again (an HTTP response body)
/// or that the grain keeps serialized anyway (a cache). The role Orleans' <c>Immutable&lt;T&gt;</c> plays for copies.
/// </summary>
public sealed class Serialized<T> : ISerializedValue
{
    public Serialized(byte[] utf8Json)
    {
        Utf8Json = utf8Json;
    }

    /// <summary>The JSON of the value, exactly as it crossed the boundary.</summary>
    public byte[] Utf8Json { get; }

    /// <summary>Serializes <paramref name="value"/> with <paramref name="contract"/>.</summary>
    public static Serialized<T> From(T value, JsonTypeInfo<T> contract) => new(JsonSerializer.SerializeToUtf8Bytes(value, contract));

    /// <summary>Reads the value back, for callers that want the object after all.</summary>
    public T Deserialize(JsonTypeInfo<T> contract) => JsonSerializer.Deserialize(Utf8Json, contract)!;
}

/// <summary>Lets the runtime take the bytes of any <see cref="Serialized{T}"/> without knowing its T.</summary>
internal interface ISerializedValue
{
    byte[] Utf8Json { get; }
}
