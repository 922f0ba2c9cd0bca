namespace Sessions.Grains;

/// <summary>
/// What an agent dispatcher keeps in its grain storage (Orleans' ADO.NET provider): how far the session's log has gone
/// out, and the delivery in flight. Written before each attempt and after each outcome, so a dispatcher reactivated on
/// another silo resends the same delivery (same <c>webhook-id</c>) with the next attempt number.
/// </summary>
[GenerateSerializer, Alias("Sessions.Grains.DispatcherState")]
public sealed class DispatcherState
{
    /// <summary>The agent the cursor belongs to (a session's agent never changes, but the check is cheap).</summary>
    [Id(0)]
    public string? AgentId { get; set; }

    /// <summary>Every message up to this seq is in a delivery (or was the agent's own).</summary>
    [Id(1)]
    public long DeliveredThroughSeq { get; set; }

    [Id(2)]
    public PendingDelivery? Current { get; set; }

    /// <summary>Deliveries asked for again by hand, sent one at a time after the one in flight, oldest request first.</summary>
    [Id(3)]
    public List<Guid> Redeliveries { get; set; } = [];
}

/// <summary>A delivery that has not ended: messages <see cref="FirstSeq"/>..<see cref="LastSeq"/> of the session.</summary>
[GenerateSerializer, Alias("Sessions.Grains.PendingDelivery")]
public sealed class PendingDelivery
{
    [Id(0)]
    public Guid Id { get; set; }

    [Id(1)]
    public long FirstSeq { get; set; }

    [Id(2)]
    public long LastSeq { get; set; }

    /// <summary>Attempts started so far (a crashed one included).</summary>
    [Id(3)]
    public int Attempt { get; set; }

    /// <summary>When the next attempt is due; null when it is due now.</summary>
    [Id(4)]
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Whether the next attempt was asked for by hand (a redelivery): logged as <c>manual</c>.</summary>
    [Id(5)]
    public bool Manual { get; set; }

    /// <summary>Attempts made before a redelivery: the retry schedule starts again after them.</summary>
    [Id(6)]
    public int AttemptsBefore { get; set; }

    /// <summary>Whether this activation has made sure the delivery log has the delivery (not saved: a new activation makes sure again).</summary>
    [NonSerialized]
    public bool Logged;
}
