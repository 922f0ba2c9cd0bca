using System.Diagnostics;
using Npgsql;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Testing;

namespace Sessions.Benchmarks;

/// <summary>
/// <c>cluster</c> mode: what a silo hop costs, in one run over one PostgreSQL server.
///
/// It starts a 3-silo and a 1-silo cluster side by side (each silo its own gateway process, through
/// <c>Sessions.Testing</c>'s <see cref="Testing.Cluster.LocalCluster"/>; each cluster on its own fresh database of the
/// server) and a <see cref="SessionsClusterClient"/> of the 3-silo one, then measures
/// (1) grain-call latency through the cluster client and across a silo hop against the same call without one
/// (<see cref="GrainCallLatency"/>), (2) what a page of messages costs as JSON bytes against typed messages
/// (<see cref="PageTransfer"/>), and (3) the same append load on one silo and spread over three, alternating rounds
/// (<see cref="CrossSiloAppends"/>).
/// The idle cluster stays up while the other one works, so both see the same machine.
///
/// The server is a private embedded one (removed when the process exits), or the one <c>ConnectionStrings__Sessions</c>
/// names: then the run creates two databases there (it needs CREATEDB) and drops them at the end.
/// </summary>
internal static class ClusterBenchmark
{
    public const string Content = """{"text":"Hello there, this is a benchmark message of ordinary size."}""";

    public static async Task RunAsync(BenchmarkSettings settings)
    {
        var cores = Environment.ProcessorCount;
        Console.WriteLine($"Sessions cluster benchmark: {settings.Clients} clients, {settings.Sessions} sessions per cluster, {settings.Duration.TotalSeconds:0} s x {settings.Rounds} rounds, {cores} cores");
        Console.WriteLine($"Note: these {cores} cores run 4 silo processes (a 3-silo and a 1-silo cluster), PostgreSQL and this load generator,");
        Console.WriteLine("      so 3 silos cannot be faster than 1 here: the figures show what the hop costs, not how the cluster scales.");
        var external = UseConfiguredServer();
        var databases = new List<string>();
        var clock = Stopwatch.StartNew();
        try
        {
            await RunClustersAsync(settings, databases);
        }
        finally
        {
            if (external)
            {
                await DropDatabasesAsync(databases);
            }
        }

        Console.WriteLine($"Total time {clock.Elapsed.TotalSeconds:0} s.");
    }

    private static async Task RunClustersAsync(BenchmarkSettings settings, List<string> databases)
    {
        var clock = Stopwatch.StartNew();
        var environment = new Dictionary<string, string?> { ["DOTNET_gcServer"] = "1" };
        var connections = settings.Clients + 8;
        var startingThree = BenchCluster.StartAsync("3", 3, connections, environment);
        var startingOne = BenchCluster.StartAsync("1", 1, connections, environment);
        try
        {
            await Task.WhenAll(startingThree, startingOne);
        }
        finally
        {
            // Known at once, so that a failed start of one cluster still drops the other one's database.
            databases.AddRange(new[] { startingThree, startingOne }.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result.Cluster.ConnectionString));
            if (!startingThree.IsCompletedSuccessfully || !startingOne.IsCompletedSuccessfully)
            {
                foreach (var started in new[] { startingThree, startingOne }.Where(t => t.IsCompletedSuccessfully))
                {
                    await started.Result.DisposeAsync();
                }
            }
        }

        await using var three = startingThree.Result;
        await using var one = startingOne.Result;
        await using var client = await ConnectAsync(three);
        await using var oneClient = await ConnectAsync(one);

        await Task.WhenAll(three.CreateSessionsAsync(settings.Sessions), one.CreateSessionsAsync(settings.Sessions));
        await three.PlaceSessionsAsync(client);
        await one.PlaceSessionsAsync(oneClient);
        Console.WriteLine($"Clusters up and {2 * settings.Sessions} sessions created in {clock.Elapsed.TotalSeconds:0.0} s; 3-silo placement: {await three.DescribePlacementAsync()}");

        var meter = await CpuMeter.CreateAsync(
            three.Silos.Select(s => (Key: three.ProcessKey(s), s.Pid)).Concat(one.Silos.Select(s => (Key: one.ProcessKey(s), s.Pid))).ToDictionary(p => p.Key, p => p.Pid),
            three.Cluster.ConnectionString);
        if (!meter.SeesPostgres)
        {
            Console.WriteLine("(PostgreSQL runs elsewhere or its processes cannot be read: its CPU is not counted.)");
        }

        var before = meter.Sample();
        var measuring = Stopwatch.StartNew();
        Console.WriteLine();
        await GrainCallLatency.RunAsync(settings, three, client, meter);
        Console.WriteLine();
        await PageTransfer.RunAsync(settings, three, client, meter);
        Console.WriteLine();
        await CrossSiloAppends.RunAsync(settings, one, three, client, meter);

        var used = meter.Sample().Since(before);
        var capacity = Environment.ProcessorCount * measuring.Elapsed.TotalSeconds;
        var others = Math.Max(0, (used.MachineBusy - used.MachineSoftIrq) * capacity - used.Of(_ => true)) / capacity;
        Console.WriteLine($"Programs other than the silos, PostgreSQL and this benchmark used {others:0%} of the machine's CPU while it measured"
            + (others > 0.1 ? ": the figures are disturbed, run again on a quiet machine." : "."));
    }

    /// <summary><c>ConnectionStrings__Sessions</c>, if set, names the server the clusters make their databases on.</summary>
    private static bool UseConfiguredServer()
    {
        if (Environment.GetEnvironmentVariable("ConnectionStrings__Sessions") is { Length: > 0 } configured)
        {
            Environment.SetEnvironmentVariable(TestPostgres.ConnectionStringVariable, configured);
        }

        return !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TestPostgres.ConnectionStringVariable));
    }

    /// <summary>A cluster client of <paramref name="cluster"/>, once it sees every silo's gateway.</summary>
    private static async Task<SessionsClusterClient> ConnectAsync(BenchCluster cluster)
    {
        var client = await SessionsClusterClient.ConnectAsync(new ClusterClientOptions
        {
            ConnectionString = cluster.Cluster.ConnectionString,
            ClusterId = cluster.Cluster.ClusterId,
        });
        var deadline = Stopwatch.StartNew();
        while ((await client.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count != cluster.Silos.Count)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                await client.DisposeAsync();
                throw new TimeoutException($"The cluster client does not see {cluster.Silos.Count} active silos.");
            }

            await Task.Delay(50);
        }

        return client;
    }

    private static async Task DropDatabasesAsync(IEnumerable<string> connectionStrings)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(await TestPostgres.GetServerConnectionStringAsync());
            await connection.OpenAsync();
            foreach (var database in connectionStrings.Select(c => new NpgsqlConnectionStringBuilder(c).Database))
            {
                await using var drop = new NpgsqlCommand($"drop database if exists \"{database}\" with (force)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException e)
        {
            Console.Error.WriteLine($"Could not drop the benchmark's databases: {e.Message}");
        }
    }

    /// <summary>Session index for loop <paramref name="client"/>'s <paramref name="n"/>th call: each loop strides, so all sessions get traffic and loops rarely collide.</summary>
    public static int Pick(int sessions, int clients, int client, long n) => (int)((client + n * clients) % sessions);

    /// <summary>A grain call whose failure <see cref="LoadRunner"/> counts as an error rather than ending the run.</summary>
    public static async Task Counted(Task call)
    {
        try
        {
            await call;
        }
        catch (Exception e) when (e is SessionException or OrleansException or TimeoutException)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    public static double Middle(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
