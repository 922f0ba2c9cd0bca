namespace Sessions.Abstractions;

/// <summary>
/// Marks a grain method whose call may be sent again after its outcome was lost (the silo or the connection to it
/// failed after the call left), because running it twice has the effect of running it once: a revocation, a full
/// replacement (PUT), a cursor that only moves forward. Reads are marked <c>[ReadOnly]</c> instead, and a call whose
/// safety depends on its argument carries an <see cref="IRetrySafe"/> argument. The cluster client resends such calls.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RetrySafeAttribute : Attribute;
