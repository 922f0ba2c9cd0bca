namespace Sessions.Embedded;

/// <summary>The event ids of what <see cref="EmbeddedPostgres"/> logs, for log queries and tests.</summary>
public static class EmbeddedPostgresEventIds
{
    public const int DataDirectoryFallback = 1000;
    public const int InitializingCluster = 1001;
    public const int ClusterInitialized = 1002;
    public const int WipingIncompleteCluster = 1003;
    public const int StoppingLeftoverServer = 1004;
    public const int RemovingStalePidFile = 1005;
    public const int StartAttemptFailed = 1006;
    public const int Started = 1007;
    public const int DatabaseCreated = 1008;
    public const int StopFailed = 1009;
    public const int Stopped = 1010;
    public const int ServerNoLongerOurs = 1011;
    public const int StopGaveUp = 1012;
}
