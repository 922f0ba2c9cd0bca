namespace Sessions.Actors;

/// <summary>Why an activation is going away.</summary>
public enum DeactivationReasonCode
{
    /// <summary>It was idle for longer than the collection age.</summary>
    IdleCollection,

    /// <summary>The grain asked for it (<c>DeactivateOnIdle</c>).</summary>
    ApplicationRequested,

    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,

    /// <summary>Membership changed and the grain now belongs to another silo.</summary>
    PlacementChanged,
}

/// <summary>Why an activation is going away, with a human-readable description.</summary>
public readonly record struct DeactivationReason(DeactivationReasonCode Code, string Description);
