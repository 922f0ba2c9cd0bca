namespace Sessions.Actors;

/// <summary>This process's current view of the cluster, kept fresh from the membership table.</summary>
public interface IClusterMembership
{
    /// <summary>The latest view; never null (empty before the first read).</summary>
    ClusterView View { get; }

    /// <summary>This silo's address once it has joined; null in a client, which hosts no grains.</summary>
    SiloAddress? Self { get; }

    /// <summary>True while this silo takes calls: from joining until it is gone (a leaving silo still forwards).</summary>
    bool IsServing { get; }

    /// <summary>Rereads the membership table now, outside the regular rounds; raises <see cref="ViewChanged"/> when it moved on.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);

    /// <summary>Raised after <see cref="View"/> changed to a newer table version.</summary>
    event Action<ClusterView>? ViewChanged;
}
