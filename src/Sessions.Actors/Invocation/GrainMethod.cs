using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sessions.Actors;

/// <summary>
/// Everything the runtime needs to know about one grain interface method, worked out once at start-up:
/// its argument and result JSON contracts, its scheduling attributes, and fast paths for the proxy to build
/// the right Task type and for the activation to read a task's result.
/// </summary>
internal sealed class GrainMethod
{
    private static readonly MethodInfo InvokerFactory = typeof(GrainMethod).GetMethod(nameof(MakeProxyInvoker), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo SerializedFactory = typeof(GrainMethod).GetMethod(nameof(MakeSerializedFactory), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ResultReader = typeof(GrainMethod).GetMethod(nameof(ReadResult), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly JsonTypeInfo[] _parameterTypes;
    private readonly Func<Task, object?>? _readResult;
    private readonly Func<byte[]?, object>? _wrapSerialized;

    public GrainMethod(MethodInfo method, JsonSerializerOptions options)
    {
        Method = method;
        Name = method.Name;
        AlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute));
        ReadOnly = method.IsDefined(typeof(ReadOnlyAttribute));
        Idempotent = method.IsDefined(typeof(IdempotentAttribute));
        _parameterTypes = method.GetParameters().Select(p => TypeInfo(options, p.ParameterType, method)).ToArray();

        var returnType = method.ReturnType;
        if (returnType == typeof(Task))
        {
            ProxyInvoke = (proxy, args) => GrainProxy.CallAsync(proxy, this, args);
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            var resultType = returnType.GetGenericArguments()[0];
            ReturnsSerialized = resultType.IsGenericType && resultType.GetGenericTypeDefinition() == typeof(Serialized<>);
            ResultType = ReturnsSerialized ? null : TypeInfo(options, resultType, method);
            _wrapSerialized = ReturnsSerialized
                ? (Func<byte[]?, object>)SerializedFactory.MakeGenericMethod(resultType.GetGenericArguments()[0]).Invoke(null, null)!
                : null;
            ProxyInvoke = (Func<GrainProxy, object?[], object>)InvokerFactory.MakeGenericMethod(resultType).Invoke(null, [this])!;
            _readResult = (Func<Task, object?>)ResultReader.MakeGenericMethod(resultType).CreateDelegate(typeof(Func<Task, object?>));
        }
        else
        {
            throw new InvalidOperationException($"Grain method {method.DeclaringType}.{method.Name} must return Task or Task<T>.");
        }
    }

    public MethodInfo Method { get; }

    public string Name { get; }

    public bool AlwaysInterleave { get; }

    public bool ReadOnly { get; }

    public bool Idempotent { get; }

    /// <summary>True when this call may be sent again after an interruption: the method says so, or an argument does.</summary>
    public bool IsRetrySafe(object?[] args) => Idempotent || args.Any(a => a is IRetrySafe { IsRetrySafe: true });

    /// <summary>True for methods returning <see cref="Serialized{T}"/>: their bytes pass through unparsed.</summary>
    public bool ReturnsSerialized { get; }

    /// <summary>The result's JSON contract, or null for a method returning a plain Task or a <see cref="Serialized{T}"/>.</summary>
    public JsonTypeInfo? ResultType { get; }

    /// <summary>Builds the Task the caller awaits (Task or Task&lt;T&gt;) for a call with these arguments.</summary>
    public Func<GrainProxy, object?[], object> ProxyInvoke { get; }

    public byte[] SerializeArguments(object?[]? args)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < _parameterTypes.Length; i++)
            {
                JsonSerializer.Serialize(writer, args![i], _parameterTypes[i]);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public object?[] DeserializeArguments(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Arguments of {Name} must be a JSON array.");
        }

        var args = new object?[_parameterTypes.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
            {
                throw new JsonException($"{Name} takes {args.Length} arguments; fewer were sent.");
            }

            args[i] = JsonSerializer.Deserialize(ref reader, _parameterTypes[i]);
        }

        return args;
    }

    /// <summary>Reads the result of a completed task returned by the grain method (null for a plain Task).</summary>
    public object? GetResult(Task completed) => _readResult?.Invoke(completed);

    /// <summary>The wire form of a completed call's result: null for a plain Task.</summary>
    public byte[]? SerializeResult(Task completed)
    {
        var result = GetResult(completed);
        if (ReturnsSerialized)
        {
            return ((ISerializedValue?)result)?.Utf8Json ?? throw new InvalidOperationException($"{Name} returned a null Serialized<T>.");
        }

        return ResultType is null ? null : JsonSerializer.SerializeToUtf8Bytes(result, ResultType);
    }

    /// <summary>The caller's value for a call's wire-form result.</summary>
    public T DeserializeResult<T>(byte[]? utf8Json) => ReturnsSerialized
        ? (T)_wrapSerialized!(utf8Json)
        : (T)JsonSerializer.Deserialize(utf8Json, ResultType!)!;

    private static Func<GrainProxy, object?[], object> MakeProxyInvoker<T>(GrainMethod method) =>
        (proxy, args) => GrainProxy.CallAsync<T>(proxy, method, args);

    private static Func<byte[]?, object> MakeSerializedFactory<TValue>() =>
        bytes => new Serialized<TValue>(bytes ?? throw new InvalidOperationException("A Serialized<T> result arrived without bytes."));

    private static object? ReadResult<T>(Task task) => ((Task<T>)task).Result;

    private static JsonTypeInfo TypeInfo(JsonSerializerOptions options, Type type, MethodInfo method)
    {
        try
        {
            return options.GetTypeInfo(type);
        }
        catch (NotSupportedException e)
        {
            throw new InvalidOperationException(
                $"Grain method {method.DeclaringType}.{method.Name} uses {type}, which no registered JSON context knows. " +
                "Add it to a JsonSerializerContext and register that context with the silo or client.", e);
        }
    }
}
