using Orleans.Configuration;

namespace Sessions.Host.Silo;

/// <summary>
/// The cluster membership timings, in one place: Orleans' defaults tuned so that a silo killed with <c>kill -9</c>
/// is declared dead within a few seconds (Orleans' defaults take 11–15 s here). Every value can be overridden from the
/// configuration section <c>Sessions:Cluster</c>, named as in <see cref="ClusterMembershipOptions"/>
/// (for example <c>Sessions__Cluster__ProbeTimeout=00:00:02</c>).
/// </summary>
internal static class MembershipTimings
{
    public const string SectionName = "Sessions:Cluster";

    public static void ApplyDefaults(ClusterMembershipOptions options)
    {
        // Each silo probes its peers; 3 probes missed in a row (NumMissedProbesLimit) make it vote, and 2 votes
        // (NumVotesForDeathDeclaration, fewer when fewer silos can vote) declare the peer Dead: about 3 s.
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 3;
        options.NumVotesForDeathDeclaration = 2;

        // Changes spread by gossip at once; the periodic reread only repairs a missed gossip. Cheap: one query.
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);

        // The heartbeat in the table: an Active entry without one for 3 periods counts as stale.
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);

        // A silo that cannot join (no database, peers unreachable) gives up and exits instead of hanging for 5 min.
        options.MaxJoinAttemptTime = TimeSpan.FromMinutes(1);
    }
}
