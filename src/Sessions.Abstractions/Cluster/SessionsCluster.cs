namespace Sessions.Abstractions;

/// <summary>The identity a silo and its clients share unless configured otherwise.</summary>
public static class SessionsCluster
{
    /// <summary>The Orleans <c>ServiceId</c>: stable across deployments, it keys grain state and reminders.</summary>
    public const string DefaultServiceId = "sessions";

    /// <summary>The Orleans <c>ClusterId</c>: silos with the same one (and the same database) form one cluster.</summary>
    public const string DefaultClusterId = "default";

    /// <summary>The ADO.NET invariant name of the PostgreSQL driver, which every Orleans ADO.NET provider needs.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>The name of the product's own meter (System.Diagnostics.Metrics): webhook deliveries and attempts.</summary>
    public const string MeterName = "Sessions";
}
