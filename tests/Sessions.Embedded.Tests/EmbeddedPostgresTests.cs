using System.Net;
using System.Net.Sockets;
using Npgsql;
using Sessions.Embedded;
using Sessions.Testing;

namespace Sessions.Embedded.Tests;

public sealed class EmbeddedPostgresTests : EmbeddedPostgresScratch
{
    [Fact]
    public async Task Starting_on_a_fresh_directory_initializes_a_cluster_and_creates_the_database()
    {
        var postgres = await StartAsync(new EmbeddedPostgresOptions { DataDirectory = DataDirectory, DatabaseName = "appdb" });

        Assert.Equal(DataDirectory, postgres.DataDirectory);
        Assert.True(File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")));
        Assert.True(File.Exists(Path.Combine(DataDirectory, "postgres.log")));
        Assert.Equal("appdb", await QueryAsync<string>(postgres, "select current_database()"));
        Assert.Equal("127.0.0.1", new NpgsqlConnectionStringBuilder(postgres.ConnectionString).Host);
    }

    [Fact]
    public async Task The_server_listens_on_loopback_only_and_keeps_commits_durable()
    {
        var postgres = await StartAsync();

        Assert.Equal("127.0.0.1", await QueryAsync<string>(postgres, "show listen_addresses"));
        Assert.Equal("", await QueryAsync<string>(postgres, "show unix_socket_directories"));
        Assert.Equal("on", await QueryAsync<string>(postgres, "show fsync"));
        Assert.Equal("on", await QueryAsync<string>(postgres, "show synchronous_commit"));
        Assert.Equal("200", await QueryAsync<string>(postgres, "show max_connections"));
        Assert.Equal("UTF8", await QueryAsync<string>(postgres, "show server_encoding"));
    }

    [Fact]
    public async Task A_fixed_port_is_used_as_given()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var postgres = await StartAsync(new EmbeddedPostgresOptions { DataDirectory = DataDirectory, Port = port });

        Assert.Equal(port, new NpgsqlConnectionStringBuilder(postgres.ConnectionString).Port);
        Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), await QueryAsync<string>(postgres, "show port"));
    }

    [Fact]
    public async Task A_fixed_port_that_is_taken_fails_with_the_server_log_and_frees_the_directory()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() =>
            StartAsync(new EmbeddedPostgresOptions { DataDirectory = DataDirectory, Port = port }));

        Assert.Contains("could not bind", error.Message, StringComparison.OrdinalIgnoreCase);
        squatter.Close();
        Assert.Equal(1, await QueryAsync<int>(await StartAsync(), "select 1"));
    }

    [Fact]
    public async Task Data_survives_a_clean_restart_without_a_second_initdb()
    {
        var first = await StartAsync();
        await ExecuteAsync(first, "create table kept (v text); insert into kept values ('still here')");
        await first.DisposeAsync();

        var second = await StartAsync();

        Assert.Equal("still here", await QueryAsync<string>(second, "select v from kept"));
        Assert.Single(Log.Entries, e => e.EventId == EmbeddedPostgresEventIds.InitializingCluster);
    }

    [Fact]
    public async Task Disposing_stops_the_server()
    {
        var postgres = await StartAsync();
        var pid = OsProcess.ReadPostmasterPid(DataDirectory);

        await postgres.DisposeAsync();

        Assert.False(File.Exists(Path.Combine(ClusterDirectory, "postmaster.pid")));
        await Eventually.TrueAsync(() => OsProcess.IsGone(pid), "the postmaster has exited");
        NpgsqlConnection.ClearAllPools();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => QueryAsync<int>(postgres, "select 1"));
    }

    [Fact]
    public async Task A_second_host_cannot_take_a_data_directory_in_use()
    {
        var first = await StartAsync();

        var refused = await Assert.ThrowsAsync<EmbeddedPostgresException>(() => StartAsync());

        Assert.Contains("in use by another running host", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, await QueryAsync<int>(first, "select 1"));
    }

    [Fact]
    public async Task Missing_binaries_fail_with_a_one_line_install_hint()
    {
        var empty = Directory.CreateDirectory(Path.Combine(Root, "no-binaries")).FullName;

        var error = await Assert.ThrowsAsync<PostgresBinariesNotFoundException>(() =>
            StartAsync(new EmbeddedPostgresOptions { DataDirectory = DataDirectory, BinariesDirectory = empty }));

        Assert.Contains("apt-get install -y postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Sessions", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(Directory.Exists(DataDirectory)); // nothing is touched before the binaries are found
    }
}
