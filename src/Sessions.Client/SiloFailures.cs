using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Sessions.Client;

/// <summary>The exceptions that say a grain call's silo or connection went away, not that the call itself was refused.</summary>
public static class SiloFailures
{
    /// <summary>
    /// True for <see cref="SiloUnavailableException"/>, <see cref="OrleansMessageRejectionException"/>,
    /// <see cref="ConnectionFailedException"/> and <see cref="GatewayTooBusyException"/>: the call may or may not have
    /// run, and it can be sent again if it is safe to repeat.
    /// </summary>
    public static bool Is(Exception? exception) => exception is
        SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException;
}
