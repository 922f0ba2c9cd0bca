using Npgsql;
using Sessions.Abstractions;
using Sessions.Actors;
using Sessions.Testing.Cluster;

namespace Sessions.Benchmarks;

/// <summary>
/// One cluster under load: its silo processes (<see cref="LocalCluster"/>, over a fresh database of the run's
/// PostgreSQL server), an HTTP client per silo, the benchmark's sessions, and which silo owns each of them.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private static readonly string ChatSessionGrainType = typeof(IChatSessionGrain).FullName!;

    private BenchCluster(string label, LocalCluster cluster, int connectionsPerSilo)
    {
        Label = label;
        Cluster = cluster;
        Http = [.. cluster.Silos.Select(s => new SessionsHttpClient(s.BaseAddress, connectionsPerSilo))];
    }

    /// <summary>Names this cluster's processes for the CPU meter (<c>label/silo-N</c>).</summary>
    public string Label { get; }

    public LocalCluster Cluster { get; }

    public IReadOnlyList<SiloProcess> Silos => Cluster.Silos;

    /// <summary>A client of each silo's public HTTP API, in the order of <see cref="Silos"/>.</summary>
    public SessionsHttpClient[] Http { get; }

    public string[] Sessions { get; private set; } = [];

    /// <summary>For each of <see cref="Sessions"/>, the index in <see cref="Silos"/> of the silo that owns it.</summary>
    public int[] Owners { get; private set; } = [];

    public static async Task<BenchCluster> StartAsync(string label, int silos, int connectionsPerSilo, IReadOnlyDictionary<string, string?> environment) =>
        new(label, await LocalCluster.StartAsync(silos, environment), connectionsPerSilo);

    /// <summary>The key under which <see cref="CpuMeter"/> follows <paramref name="silo"/>.</summary>
    public string ProcessKey(SiloProcess silo) => $"{Label}/{silo.Name}";

    public bool IsMine(string processKey) => processKey.StartsWith(Label + "/", StringComparison.Ordinal);

    /// <summary>Creates the two participants and <paramref name="count"/> sessions between them, spreading the requests over the silos.</summary>
    public async Task CreateSessionsAsync(int count)
    {
        await Http[0].CreateParticipantAsync("bench-alice");
        await Http[0].CreateParticipantAsync("bench-bob");
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            ids[i] = await Http[i % Http.Length].CreateSessionAsync("bench-alice", "bench-bob"));
        Sessions = ids;
    }

    /// <summary>
    /// Works out each session's owner as every silo and client does: rendezvous placement over the Active silos of
    /// the membership table (which every view agrees on once <see cref="LocalCluster"/> has seen it converge).
    /// </summary>
    public async Task PlaceSessionsAsync()
    {
        var active = (await Cluster.ReadMembershipAsync()).Where(r => r.Status == SiloStatus.Active).Select(r => r.Address).ToList();
        Owners = [.. Sessions.Select(id =>
        {
            var owner = RendezvousPlacement.Owner(new GrainId(ChatSessionGrainType, id), active)
                ?? throw new InvalidOperationException("The cluster has no active silo.");
            return Silos.Select((silo, index) => (silo, index)).Single(p => p.silo.SiloPort == owner.Port).index;
        })];
    }

    /// <summary>
    /// Each silo's share of the sessions and its live activations: creating a session activates it on its owner
    /// only, so the two agree when the benchmark's idea of placement is the cluster's.
    /// </summary>
    public async Task<string> DescribePlacementAsync()
    {
        var parts = new List<string>();
        var agree = true;
        for (var i = 0; i < Silos.Count; i++)
        {
            var owned = Owners.Count(o => o == i);
            var activations = await Silos[i].ReadGaugeAsync("sessions_activations");
            agree &= owned == activations;
            parts.Add($"{Silos[i].Name} owns {owned} ({activations} activations)");
        }

        return string.Join(", ", parts) + (agree ? "" : "  <- MISMATCH: hop figures below are not what they claim");
    }

    /// <summary>The database server's clock, to count what a load wrote from then on (<see cref="CountAppendsSinceAsync"/>).</summary>
    public async Task<DateTime> DatabaseNowAsync()
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select clock_timestamp()", connection);
        return (DateTime)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Messages appended since <paramref name="since"/>, and in how many transactions: an append statement stamps its
    /// rows with now(), its transaction's start, so rows of one group commit share a created_at and rows of two don't.
    /// </summary>
    public async Task<(long Appends, long Commits)> CountAppendsSinceAsync(DateTime since)
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*), count(distinct created_at) from chat_messages where created_at >= $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var http in Http)
        {
            http.Dispose();
        }

        await Cluster.DisposeAsync();
    }
}
