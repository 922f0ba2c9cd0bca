namespace Sessions.Actors;

/// <summary>
/// A grain call as it travels: the target, the method name and the arguments serialized as one JSON array.
/// The same bytes go to a local activation or (later) over the wire, so callers never share objects with grains.
/// </summary>
public sealed record GrainCall(string GrainType, string Key, string Method, byte[] Arguments)
{
    public GrainId GrainId => new(GrainType, Key);
}

/// <summary>The outcome of a grain call: the serialized result (JSON, null for a plain Task) or an error.</summary>
public sealed record GrainResponse(byte[]? Result, GrainError? Error)
{
    public static readonly GrainResponse Empty = new(null, null);
}

/// <summary>
/// A serialized exception. <see cref="Code"/> is set for a <see cref="GrainException"/>;
/// otherwise <see cref="ExceptionType"/> names the unexpected exception's type.
/// </summary>
public sealed record GrainError(string? Code, string ExceptionType, string Message, IReadOnlyDictionary<string, string>? Details)
{
    public static GrainError From(Exception exception) => exception switch
    {
        GrainException g => new GrainError(g.Code, g.GetType().FullName!, g.Message, g.Details),
        GrainInvocationException i => new GrainError(null, i.OriginalType, i.OriginalMessage, null),
        _ => new GrainError(null, exception.GetType().FullName!, exception.Message, null),
    };

    public Exception ToException() => Code is not null
        ? new GrainException(Code, Message, Details)
        : new GrainInvocationException(ExceptionType, Message);
}
