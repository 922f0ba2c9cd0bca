namespace Sessions.Gateway.Silo;

/// <summary>
/// What the gateway needs to know of the silo it runs in, supplied by the host: the silo's standing in the cluster for
/// <c>/metrics</c>, and the deaths of other silos, after which realtime feeds renew their subscriptions at once (the
/// grains that lived there come back elsewhere without their observers). The gateway itself only references the
/// contract and the cluster client, so it cannot read the silo's membership service directly.
/// </summary>
public interface ILocalSilo
{
    /// <summary>This silo's status in its own view of the membership.</summary>
    SiloStatus Status { get; }

    /// <summary>Active silos in this silo's view of the cluster.</summary>
    int ActiveSilos { get; }

    /// <summary>The version of the membership this silo last saw.</summary>
    long MembershipVersion { get; }

    /// <summary>Grain activations living on this silo.</summary>
    int Activations { get; }

    /// <summary>Each silo the cluster declares dead from now on, once, until <paramref name="ct"/> is cancelled.</summary>
    IAsyncEnumerable<SiloAddress> SiloDeathsAsync(CancellationToken ct);
}
