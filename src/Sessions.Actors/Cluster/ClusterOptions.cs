namespace Sessions.Actors;

/// <summary>
/// Options of a silo in a cluster. The defaults detect a dead silo in a few seconds: a peer that misses
/// <see cref="MissedProbesLimit"/> probes in a row (one per <see cref="ProbeInterval"/>) is suspected, and
/// <see cref="VotesForDeath"/> suspicions declare it Dead.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Which cluster of the shared membership table this silo belongs to.</summary>
    /// <value><c>default</c>.</value>
    public string ClusterId { get; set; } = "default";

    /// <summary>The silo's name in the membership table (the pod name in Kubernetes).</summary>
    /// <value>The machine name.</value>
    public string SiloName { get; set; } = Environment.MachineName;

    /// <summary>The address other silos and clients use to reach this silo's endpoint.</summary>
    /// <value><c>127.0.0.1</c>.</value>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>The silo-to-silo port (HTTP/2 cleartext); 0 picks a free one.</summary>
    /// <value>11111.</value>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Listen on every interface instead of only the advertised address.</summary>
    /// <value>false.</value>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>How often each silo probes every other silo, heartbeats and rereads the table.</summary>
    /// <value>1 second.</value>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe may take before it counts as missed.</summary>
    /// <value>1 second.</value>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many probes in a row a silo may miss before its prober suspects it.</summary>
    /// <value>3.</value>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>How many distinct silos must suspect a silo to declare it Dead (fewer when fewer silos are left to vote).</summary>
    /// <value>2.</value>
    public int VotesForDeath { get; set; } = 2;

    /// <summary>How long a suspicion counts towards a death vote.</summary>
    /// <value>30 seconds.</value>
    public TimeSpan SuspicionExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a silo leaving gracefully keeps forwarding calls after announcing ShuttingDown, so peers notice first.</summary>
    /// <value>2 seconds (two probe intervals).</value>
    public TimeSpan LeaveDrainDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a call may be forwarded between silos whose views disagree before it runs where it is.</summary>
    /// <value>2.</value>
    public int MaxForwardHops { get; set; } = 2;

    /// <summary>How long a silo that refused a connection is left out of placement by this process, before membership catches up.</summary>
    /// <value>5 seconds.</value>
    public TimeSpan UnreachableSiloQuarantine { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to connect to another silo before giving up.</summary>
    /// <value>2 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long rows of Dead silos stay in the table.</summary>
    /// <value>1 hour.</value>
    public TimeSpan DeadSiloRetention { get; set; } = TimeSpan.FromHours(1);
}
