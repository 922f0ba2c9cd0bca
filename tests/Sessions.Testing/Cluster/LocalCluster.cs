using System.Diagnostics;
using Npgsql;
using Orleans.Runtime;

namespace Sessions.Testing.Cluster;

/// <summary>
/// N silos as separate processes over one fresh database (<see cref="TestPostgres.CreateDatabaseAsync"/>) and one
/// cluster id: the test stand-in for a Deployment of silo pods. Silos start in parallel; disposing kills every one.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>How long silos may take to start: several dotnet processes starting at once on a small machine.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly List<SiloProcess> _silos;
    private readonly IReadOnlyDictionary<string, string?>? _environment;

    private LocalCluster(string connectionString, string clusterId, List<SiloProcess> silos, IReadOnlyDictionary<string, string?>? environment)
    {
        ConnectionString = connectionString;
        ClusterId = clusterId;
        _silos = silos;
        _environment = environment;
    }

    public string ConnectionString { get; }

    public string ClusterId { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public IEnumerable<SiloProcess> Running => Silos.Where(s => s.IsRunning);

    /// <summary>
    /// Starts <paramref name="siloCount"/> silos named silo-1…N and waits until each is ready and every one sees all
    /// of them Active (so placement agrees everywhere before the test begins).
    /// </summary>
    /// <param name="environment">Added to every silo's environment (see <see cref="SiloProcess"/>).</param>
    /// <param name="environmentOf">Added on top for silo-N (given N), to make one silo differ from the others.</param>
    public static async Task<LocalCluster> StartAsync(
        int siloCount,
        IReadOnlyDictionary<string, string?>? environment = null,
        Func<int, IReadOnlyDictionary<string, string?>>? environmentOf = null)
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("cluster").ConfigureAwait(false);
        var clusterId = $"test-{Guid.NewGuid():N}"[..13];
        var silos = Enumerable.Range(1, siloCount)
            .Select(i => new SiloProcess($"silo-{i}", connectionString, clusterId, Merge(environment, environmentOf?.Invoke(i))))
            .ToList();
        var cluster = new LocalCluster(connectionString, clusterId, silos, environment);
        try
        {
            foreach (var silo in silos)
            {
                silo.Start();
            }

            await Task.WhenAll(silos.Select(s => s.WaitReadyAsync(StartTimeout))).ConfigureAwait(false);
            await cluster.WaitForConvergenceAsync(siloCount, StartTimeout).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts one more silo (silo-N+1) in the cluster, as a scale-out would; returns at once (see <see cref="SiloProcess.WaitReadyAsync"/>).</summary>
    /// <param name="environment">Added on top of the cluster's environment for this silo only.</param>
    public SiloProcess AddSilo(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var silo = new SiloProcess($"silo-{_silos.Count + 1}", ConnectionString, ClusterId, Merge(_environment, environment));
        _silos.Add(silo);
        silo.Start();
        return silo;
    }

    /// <summary>
    /// Waits until the table has exactly <paramref name="activeSilos"/> Active rows and every running silo's view
    /// (<c>sessions_cluster_active_silos</c>) counts that many.
    /// </summary>
    public async Task WaitForConvergenceAsync(int activeSilos, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (true)
        {
            try
            {
                var rows = await ReadMembershipAsync().ConfigureAwait(false);
                var views = await Task.WhenAll(Running.Select(async s => (Silo: s, Active: await s.ReadGaugeAsync("sessions_cluster_active_silos").ConfigureAwait(false)))).ConfigureAwait(false);
                var activeRows = rows.Count(r => r.Status == SiloStatus.Active);
                if (activeRows == activeSilos && views.All(v => v.Active == activeSilos))
                {
                    return;
                }

                last = $"{activeRows} Active rows; views: {string.Join(", ", views.Select(v => $"{v.Silo.Name}={v.Active}"))}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or NpgsqlException)
            {
                last = e.Message;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The cluster did not converge on {activeSilos} Active silos within {timeout.TotalSeconds:0} s ({last}).\n{DescribeLogs()}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the row of <paramref name="silo"/> in the membership table has <paramref name="status"/>.</summary>
    public async Task WaitForStatusAsync(SiloAddress silo, SiloStatus status, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        SiloRow? row;
        while ((row = (await ReadMembershipAsync().ConfigureAwait(false)).SingleOrDefault(r => r.Address.Equals(silo)))?.Status != status)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{silo} was not {status} in the membership table within {timeout.TotalSeconds:0} s (it is {row?.Status.ToString() ?? "missing"}).\n{DescribeLogs()}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>Every row of this cluster in the Orleans membership table (<c>orleans_membership</c>).</summary>
    public async Task<IReadOnlyList<SiloRow>> ReadMembershipAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "select address, port, generation, silo_name, status, iamalive_time, coalesce(suspect_times, '') from orleans_membership where deployment_id = $1 order by generation",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ClusterId });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var rows = new List<SiloRow>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            rows.Add(new SiloRow(
                SiloAddress.New(System.Net.IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1), reader.GetInt32(2)),
                reader.GetString(3),
                (SiloStatus)reader.GetInt32(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetString(6)));
        }

        return rows;
    }

    /// <summary>The newest row of <paramref name="silo"/> (its current or last run).</summary>
    public async Task<SiloRow?> ReadRowAsync(SiloProcess silo) =>
        (await ReadMembershipAsync().ConfigureAwait(false)).Where(r => r.Address.Endpoint.Port == silo.SiloPort).MaxBy(r => r.Address.Generation);

    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?>? common, IReadOnlyDictionary<string, string?>? own)
    {
        var merged = new Dictionary<string, string?>(common ?? new Dictionary<string, string?>());
        foreach (var (name, value) in own ?? new Dictionary<string, string?>())
        {
            merged[name] = value;
        }

        return merged;
    }

    /// <summary>The end of every silo's output, for assertion messages.</summary>
    public string DescribeLogs(int linesPerSilo = 60) =>
        string.Join("\n", Silos.Select(s => $"---- {s} {(s.IsRunning ? "running" : "not running")}, last {linesPerSilo} lines ----\n{s.OutputTail(linesPerSilo)}"));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Silos.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
    }
}

/// <summary>One row of the Orleans membership table: a silo generation, its status, heartbeat and the votes against it.</summary>
public sealed record SiloRow(SiloAddress Address, string SiloName, SiloStatus Status, DateTimeOffset IAmAliveTime, string Suspicions);
