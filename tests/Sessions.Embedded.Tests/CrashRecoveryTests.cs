using Sessions.Embedded;
using Sessions.Testing;

namespace Sessions.Embedded.Tests;

/// <summary>What a killed host or a killed server leaves behind must not stop the next start.</summary>
public sealed class CrashRecoveryTests : EmbeddedPostgresScratch
{
    [Fact]
    public async Task Starts_again_after_its_server_was_killed_with_SIGKILL_keeping_committed_data()
    {
        var crashed = await StartAsync();
        await ExecuteAsync(crashed, "create table acknowledged (v int); insert into acknowledged values (42)");
        var pid = OsProcess.ReadPostmasterPid(DataDirectory);

        System.Diagnostics.Process.GetProcessById(pid).Kill();
        await Eventually.TrueAsync(() => OsProcess.IsGone(pid), "the killed postmaster is gone");
        crashed.AbandonServer(); // its host is gone too
        Assert.True(File.Exists(Path.Combine(ClusterDirectory, "postmaster.pid")), "a stale postmaster.pid is left behind");

        var restarted = await StartAsync();

        Assert.Equal(42, await QueryAsync<int>(restarted, "select v from acknowledged"));
        Assert.Contains(Log.Entries, e => e.EventId == EmbeddedPostgresEventIds.RemovingStalePidFile);
    }

    [Fact]
    public async Task Stops_a_server_left_running_by_a_killed_host_and_starts_its_own()
    {
        var previousHost = await StartAsync();
        await ExecuteAsync(previousHost, "create table acknowledged (v int); insert into acknowledged values (7)");
        var leftoverPid = OsProcess.ReadPostmasterPid(DataDirectory);
        previousHost.AbandonServer(); // kill -9 of the host: its server keeps running

        var next = await StartAsync();

        await Eventually.TrueAsync(() => OsProcess.IsGone(leftoverPid), "the leftover server has stopped");
        Assert.NotEqual(leftoverPid, OsProcess.ReadPostmasterPid(DataDirectory));
        Assert.Equal(7, await QueryAsync<int>(next, "select v from acknowledged"));
        Assert.Contains(Log.Entries, e => e.EventId == EmbeddedPostgresEventIds.StoppingLeftoverServer);

        await previousHost.DisposeAsync(); // must not stop the new host's server
        Assert.Equal(7, await QueryAsync<int>(next, "select v from acknowledged"));
    }

    [Fact]
    public async Task Ignores_a_postmaster_pid_that_names_an_unrelated_live_process()
    {
        await (await StartAsync()).DisposeAsync();
        // After a reboot the recorded pid may belong to anything; here it is this test process.
        await File.WriteAllTextAsync(Path.Combine(ClusterDirectory, "postmaster.pid"), $"{Environment.ProcessId}\n{ClusterDirectory}\n");

        var postgres = await StartAsync();

        Assert.Equal(1, await QueryAsync<int>(postgres, "select 1"));
        Assert.Contains(Log.Entries, e => e.EventId == EmbeddedPostgresEventIds.RemovingStalePidFile);
    }

    [Fact]
    public async Task Redoes_an_initdb_that_was_interrupted()
    {
        // What initdb killed half-way could leave: files but no PG_VERSION, and our own scratch folder.
        Directory.CreateDirectory(Path.Combine(ClusterDirectory, "base"));
        await File.WriteAllTextAsync(Path.Combine(ClusterDirectory, "half-written"), "x");
        Directory.CreateDirectory(Path.Combine(DataDirectory, "pgdata.initdb", "global"));

        var postgres = await StartAsync();

        Assert.Equal(DataDirectory, postgres.DataDirectory);
        Assert.Equal(1, await QueryAsync<int>(postgres, "select 1"));
        Assert.False(File.Exists(Path.Combine(ClusterDirectory, "half-written")));
        Assert.False(Directory.Exists(Path.Combine(DataDirectory, "pgdata.initdb")));
        Assert.Contains(Log.Entries, e => e.EventId == EmbeddedPostgresEventIds.WipingIncompleteCluster);
    }

    [Fact]
    public async Task An_abandoned_server_can_be_stopped_without_starting_a_new_one()
    {
        var abandoned = await StartAsync();
        var pid = OsProcess.ReadPostmasterPid(DataDirectory);
        abandoned.AbandonServer();

        await EmbeddedPostgres.StopAbandonedServerAsync(DataDirectory, Log, CancellationToken.None);

        await Eventually.TrueAsync(() => OsProcess.IsGone(pid), "the abandoned server has stopped");
        Assert.False(File.Exists(Path.Combine(ClusterDirectory, "postmaster.pid")));
    }

    [Fact]
    public async Task Stopping_an_abandoned_server_refuses_a_directory_a_live_host_holds()
    {
        var live = await StartAsync();

        await Assert.ThrowsAsync<EmbeddedPostgresException>(() =>
            EmbeddedPostgres.StopAbandonedServerAsync(DataDirectory, Log, CancellationToken.None));

        Assert.Equal(1, await QueryAsync<int>(live, "select 1"));
    }
}
