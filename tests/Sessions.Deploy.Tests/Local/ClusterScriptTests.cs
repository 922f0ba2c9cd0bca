using System.Diagnostics;
using System.Text.RegularExpressions;
using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.Local;

public sealed partial class ClusterScriptTests
{
    private static readonly string Script = Repository.PathOf("deploy", "local", "cluster.sh");

    private static readonly Lazy<IReadOnlyDictionary<string, SiloLaunch>> Launches = new(LaunchEverySilo);

    /// <summary>What the script hands one silo: its environment (the SESSIONS_*, POD_* and connection settings) and arguments.</summary>
    private sealed record SiloLaunch(IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> Arguments)
    {
        public int HttpPort => new Uri(Arguments[Arguments.ToList().IndexOf("--urls") + 1]).Port;

        public int SiloPort => int.Parse(Environment["SESSIONS_SILO_PORT"], System.Globalization.CultureInfo.InvariantCulture);

        public int GatewayPort => int.Parse(Environment["SESSIONS_GATEWAY_PORT"], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task The_script_parses_with_bash_n()
    {
        var info = new ProcessStartInfo("bash", ["-n", Script]) { RedirectStandardError = true, UseShellExecute = false };
        using var bash = Process.Start(info)!;
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.True(bash.ExitCode == 0, $"bash -n {Script} failed:\n{errors}");
    }

    [Fact]
    public void The_script_is_executable()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No execute bit there; the script is for Linux hosts anyway.
        }

        Assert.True((File.GetUnixFileMode(Script) & UnixFileMode.UserExecute) != 0, $"{Script} is not executable (chmod +x)");
    }

    [Fact]
    public void Its_data_folder_is_ignored_by_git()
    {
        var ignored = File.ReadAllLines(Repository.PathOf(".gitignore")).Select(line => line.Trim());

        Assert.Contains("deploy/local/.data/", ignored);
    }

    [Fact]
    public void Starts_three_silos_named_silo_1_to_3()
    {
        Assert.Equal(["silo-1", "silo-2", "silo-3"], Launches.Value.Keys.Order(StringComparer.Ordinal));
        Assert.All(Launches.Value, launch => Assert.Equal(launch.Key, launch.Value.Environment.GetValueOrDefault("POD_NAME")));
    }

    [Fact]
    public void Every_silo_gets_its_own_http_silo_and_gateway_ports()
    {
        var ports = Launches.Value.Values.SelectMany(launch => new[] { launch.HttpPort, launch.SiloPort, launch.GatewayPort }).ToList();

        Assert.Equal(9, ports.Count);
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public void The_ports_are_the_documented_ones()
    {
        Assert.All(Launches.Value, launch =>
        {
            var n = int.Parse(launch.Key["silo-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal((5080 + n, 11110 + n, 30000 + n), (launch.Value.HttpPort, launch.Value.SiloPort, launch.Value.GatewayPort));
        });
    }

    [Fact]
    public void Every_silo_joins_one_cluster_over_one_database_and_advertises_loopback()
    {
        var launches = Launches.Value.Values.ToList();

        Assert.Single(launches.Select(launch => launch.Environment.GetValueOrDefault("SESSIONS_CLUSTER_ID")).Distinct());
        Assert.Single(launches.Select(launch => launch.Environment.GetValueOrDefault("ConnectionStrings__Sessions")).Distinct());
        Assert.All(launches, launch => Assert.Equal("127.0.0.1", launch.Environment.GetValueOrDefault("SESSIONS_ADVERTISED_ADDRESS")));
    }

    [Fact]
    public void Every_silo_gets_the_same_admin_key_of_256_random_bits()
    {
        var keys = Launches.Value.Values.Select(launch => launch.Environment.GetValueOrDefault("SESSIONS_ADMIN_KEY")).Distinct().ToList();

        var key = Assert.Single(keys);
        Assert.NotNull(key);
        Assert.Matches("^ssa_[A-Za-z0-9_-]{43}$", key);
    }

    [Fact]
    public void Every_setting_it_passes_a_silo_is_one_the_host_reads()
    {
        Assert.All(Launches.Value.Values.SelectMany(launch => launch.Environment.Keys).Distinct(), name =>
            Assert.True(HostSource.Reads(name), $"cluster.sh passes {name}, which the host does not read"));
    }

    [Fact]
    public void Status_reads_the_orleans_membership_table_of_the_cluster()
    {
        var sql = RunBash($"source '{Script}'; membership_sql");

        Assert.Matches(@"\bfrom\s+orleans_membership\b", sql);
        Assert.Contains("deployment_id = :'cluster'", sql, StringComparison.Ordinal);
        Assert.Contains("show_membership", File.ReadAllText(Script), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_shows_columns_the_orleans_membership_table_has()
    {
        var sql = RunBash($"source '{Script}'; membership_sql");
        var shown = ColumnOfM().Matches(sql).Select(match => match.Groups["column"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string> { "deployment_id", "address", "port", "generation", "silo_name", "status", "iamalive_time" }, shown);
        // "generations" is the query's own count of rows per endpoint.
        Assert.Subset(MembershipColumns().Append("generations").ToHashSet(StringComparer.Ordinal), shown);
    }

    [Fact]
    public void Nothing_refers_to_the_old_membership_table()
    {
        Assert.DoesNotContain("silo_membership", File.ReadAllText(Script), StringComparison.Ordinal);
    }

    /// <summary>
    /// Sources the script (which then only defines its functions) and runs its start_silo for every silo with setsid,
    /// the command it launches dotnet through, replaced by a function that writes what it was given to the silo's log.
    /// </summary>
    private static IReadOnlyDictionary<string, SiloLaunch> LaunchEverySilo()
    {
        var output = RunBash($$"""
            source '{{Script}}'
            DATA_DIR=$(mktemp -d)
            trap 'rm -rf "$DATA_DIR"' EXIT
            setsid() {
              env | grep -E '^(SESSIONS_|POD_|ConnectionStrings__)' | sed 's/^/ENV /'
              printf 'ARG %s\n' "$@"
            }
            for n in "${SILOS[@]}"; do start_silo "$n" 'Host=127.0.0.1;Port=5432;Database=sessions' >/dev/null; done
            wait
            for n in "${SILOS[@]}"; do echo "SILO silo-$n"; cat "$DATA_DIR/silo-$n.log"; done
            """);

        var launches = new Dictionary<string, (Dictionary<string, string> Environment, List<string> Arguments)>(StringComparer.Ordinal);
        (Dictionary<string, string> Environment, List<string> Arguments)? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("SILO ", StringComparison.Ordinal))
            {
                current = launches[line[5..]] = (new(StringComparer.Ordinal), []);
            }
            else if (current is { } silo && line.StartsWith("ENV ", StringComparison.Ordinal))
            {
                var pair = line[4..].Split('=', 2);
                silo.Environment[pair[0]] = pair[1];
            }
            else if (current is { } siloArguments && line.StartsWith("ARG ", StringComparison.Ordinal))
            {
                siloArguments.Arguments.Add(line[4..]);
            }
        }

        return launches.ToDictionary(l => l.Key, l => new SiloLaunch(l.Value.Environment, l.Value.Arguments), StringComparer.Ordinal);
    }

    /// <summary>The columns of orleans_membership as the migration creates them.</summary>
    private static IEnumerable<string> MembershipColumns()
    {
        var migration = Directory.EnumerateFiles(Repository.PathOf("src", "Sessions.Storage", "Migrations", "Sql"), "*.sql")
            .Select(File.ReadAllText)
            .Select(text => CreateMembershipTable().Match(text))
            .Single(match => match.Success);
        return migration.Groups["body"].Value.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith("--", StringComparison.Ordinal) && !line.StartsWith("constraint", StringComparison.Ordinal))
            .Select(line => line.Split(' ')[0]);
    }

    private static string RunBash(string script)
    {
        var info = new ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var bash = Process.Start(info)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var errors = bash.StandardError.ReadToEndAsync();
        Assert.True(bash.WaitForExit(TimeSpan.FromMinutes(1)), "bash did not finish in a minute");
        Assert.True(bash.ExitCode == 0, $"bash failed ({bash.ExitCode}):\n{errors.Result}");
        return output.Result;
    }

    [GeneratedRegex(@"\bm\.(?<column>[a-z_]+)")]
    private static partial Regex ColumnOfM();

    [GeneratedRegex(@"create table if not exists orleans_membership \((?<body>.*?)\n\);", RegexOptions.Singleline)]
    private static partial Regex CreateMembershipTable();
}
