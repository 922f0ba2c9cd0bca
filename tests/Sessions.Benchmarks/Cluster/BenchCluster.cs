using Npgsql;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Benchmarks;

/// <summary>
/// One cluster under load: its silo processes (<see cref="LocalCluster"/>, over a fresh database of the run's
/// PostgreSQL server), an HTTP client per silo, the benchmark's sessions, and which silo holds each of them.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
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

    /// <summary>For each of <see cref="Sessions"/>, the index in <see cref="Silos"/> of the silo that holds its activation.</summary>
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
    /// Finds where Orleans placed each session's activation (creating a session activates it), as the management
    /// grain reports it through <paramref name="client"/>, a client of this cluster.
    /// </summary>
    public async Task PlaceSessionsAsync(SessionsClusterClient client)
    {
        var management = client.Client.GetGrain<IManagementGrain>(0);
        var owners = new int[Sessions.Length];
        await Parallel.ForAsync(0, Sessions.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var host = await management.GetActivationAddress(client.GetGrain<IChatSessionGrain>(Sessions[i]))
                ?? throw new InvalidOperationException($"Session {Sessions[i]} has no activation.");
            owners[i] = Silos.Select((silo, index) => (silo, index)).Single(p => p.silo.SiloPort == host.Endpoint.Port).index;
        });
        Owners = owners;
    }

    /// <summary>Each silo's share of the sessions' activations, and its activation gauge.</summary>
    public async Task<string> DescribePlacementAsync()
    {
        var parts = new List<string>();
        for (var i = 0; i < Silos.Count; i++)
        {
            parts.Add($"{Silos[i].Name} holds {Owners.Count(o => o == i)} ({await Silos[i].ReadGaugeAsync("sessions_activations")} activations)");
        }

        return string.Join(", ", parts);
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
