namespace Sessions.Abstractions;

/// <summary>
/// A grain call argument that knows whether the call may be sent again after its outcome was lost (the connection
/// to the silo broke, or the silo died, after the call left). The cluster client and the gateway resend such calls;
/// others surface the failure, since they may have taken effect.
/// </summary>
public interface IRetrySafe
{
    /// <summary>True when running the call twice has the effect of running it once.</summary>
    bool IsRetrySafe { get; }
}
