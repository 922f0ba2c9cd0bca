namespace Sessions.Actors;

/// <summary>
/// An error that a grain raises on purpose and that crosses the call boundary intact: the caller
/// receives a <see cref="GrainException"/> with the same <see cref="Code"/>, message and details,
/// whichever silo ran the grain. Other exceptions reach the caller as <see cref="GrainInvocationException"/>.
/// </summary>
public class GrainException : Exception
{
    public GrainException(string code, string message, IReadOnlyDictionary<string, string>? details = null)
        : base(message)
    {
        Code = code;
        Details = details ?? EmptyDetails;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyDetails = new Dictionary<string, string>();

    /// <summary>A stable, machine-readable error code, such as <c>seq-conflict</c>.</summary>
    public string Code { get; }

    /// <summary>Extra facts about the error (for example the current sequence number).</summary>
    public IReadOnlyDictionary<string, string> Details { get; }
}

/// <summary>
/// An unexpected exception thrown inside a grain call, as seen by the caller. It carries the name of
/// the original exception type and its message; the activation that threw stays healthy.
/// </summary>
public sealed class GrainInvocationException(string originalType, string message)
    : Exception($"{originalType}: {message}")
{
    /// <summary>The full name of the exception type thrown inside the grain.</summary>
    public string OriginalType { get; } = originalType;

    /// <summary>The original exception's message.</summary>
    public string OriginalMessage { get; } = message;
}
