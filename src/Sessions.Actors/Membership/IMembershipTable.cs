namespace Sessions.Actors;

/// <summary>
/// The shared membership table of one cluster, on the Orleans clustering scheme: a version row plus one row per silo.
/// Every change of a row's status or suspicions is a compare-and-swap on the version, so two silos acting on the same
/// view cannot both win; heartbeats touch only the silo's own row and do not bump the version.
/// </summary>
public interface IMembershipTable
{
    /// <summary>The version and every row (creating the cluster's version row at 0 if it is missing).</summary>
    Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Adds a row and bumps the version, if the version is still <paramref name="expectedVersion"/>; false if it moved or the row exists.</summary>
    Task<bool> TryInsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Replaces a row's status and suspicions and bumps the version, if the version is still <paramref name="expectedVersion"/>.</summary>
    Task<bool> TryUpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Sets the silo's I-am-alive time to the database's clock (no version bump).</summary>
    Task UpdateIAmAliveAsync(SiloAddress silo, CancellationToken cancellationToken);

    /// <summary>Removes rows of silos Dead for longer than <paramref name="age"/>; returns how many.</summary>
    Task<int> DeleteDeadAsync(TimeSpan age, CancellationToken cancellationToken);
}
