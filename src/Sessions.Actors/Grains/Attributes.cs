namespace Sessions.Actors;

/// <summary>Calls to a grain class marked reentrant may interleave: the next call starts while another awaits.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ReentrantAttribute : Attribute;

/// <summary>Calls to this interface method run at once, interleaved with any turn in progress.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>
/// The method does not change grain state: consecutive read-only calls may run together,
/// but never alongside a call that is not read-only.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute;

/// <summary>
/// Sending this call twice has the same effect as sending it once, so when a call's connection breaks after it was sent
/// (<see cref="RuntimeErrors.CallInterrupted"/>), the caller's runtime sends it again instead of failing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IdempotentAttribute : Attribute;

/// <summary>
/// An argument that can make its call safe to send again (an append carrying a client_message_id, say): the same
/// resending as <see cref="IdempotentAttribute"/>, decided per call.
/// </summary>
public interface IRetrySafe
{
    bool IsRetrySafe { get; }
}
