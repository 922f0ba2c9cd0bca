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
