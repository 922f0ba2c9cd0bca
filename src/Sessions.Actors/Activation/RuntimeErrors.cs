namespace Sessions.Actors;

/// <summary>Error codes the runtime itself raises. Transient ones may be retried by the caller.</summary>
public static class RuntimeErrors
{
    /// <summary>The silo is stopping (or not yet started) and takes no new calls. Transient.</summary>
    public const string SiloUnavailable = "silo-unavailable";

    /// <summary>
    /// The connection to the silo running the call broke after the call was sent: it may or may not have run.
    /// Retry only what is idempotent (an append with a client_message_id is).
    /// </summary>
    public const string CallInterrupted = "call-interrupted";

    /// <summary>The observer a call was meant for has been removed, or its process is gone.</summary>
    public const string ObserverGone = "observer-gone";

    /// <summary>No grain class is registered for the called interface on this silo.</summary>
    public const string UnknownGrainType = "unknown-grain-type";

    /// <summary>The called method does not exist on the grain interface (a version mismatch between caller and silo).</summary>
    public const string UnknownMethod = "unknown-method";

    /// <summary>
    /// The grain found it is no longer owned by the silo that ran the call (see <see cref="GrainMovedException"/>). The
    /// runtime sends such a call on to the owner, so callers see this code only when that was impossible.
    /// </summary>
    public const string GrainMoved = "grain-moved";

    /// <summary>True for errors a caller may retry safely because the call never ran.</summary>
    public static bool IsTransient(GrainException exception) => exception.Code == SiloUnavailable;

    internal static GrainResponse Failure(string code, string message) =>
        new(null, new GrainError(code, typeof(GrainException).FullName!, message, null));
}
