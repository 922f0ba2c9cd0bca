namespace Sessions.Embedded;

/// <summary>Where and how the private PostgreSQL server of a single-machine deployment runs.</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>
    /// The folder that holds everything the server needs; the cluster itself lives in its <c>pgdata</c> subfolder.
    /// </summary>
    /// <value>Defaults to <c>./.sessions-data</c> (hosts pass <c>SESSIONS_DATA_DIR</c>).</value>
    public string DataDirectory { get; set; } = "./.sessions-data";

    /// <summary>The database the <see cref="EmbeddedPostgres.ConnectionString"/> points at; created if missing.</summary>
    /// <value>Defaults to <c>sessions</c>.</value>
    public string DatabaseName { get; set; } = "sessions";

    /// <summary>The loopback TCP port to listen on; 0 picks a free port at every start.</summary>
    /// <value>Defaults to 0.</value>
    public int Port { get; set; }

    /// <summary>
    /// The folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>. When null they are looked up on
    /// <c>PATH</c>, then in the highest <c>/usr/lib/postgresql/*/bin</c>.
    /// </summary>
    /// <value>Defaults to null (search).</value>
    public string? BinariesDirectory { get; set; }

    /// <summary>Server <c>max_connections</c>: several silos' pools share one server.</summary>
    /// <value>Defaults to 200.</value>
    public int MaxConnections { get; set; } = 200;

    /// <summary>How long start-up (initdb, start, readiness, database creation) may take before it fails.</summary>
    /// <value>Defaults to 60 seconds.</value>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
