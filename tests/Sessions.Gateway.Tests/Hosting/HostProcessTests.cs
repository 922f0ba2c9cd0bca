using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Sessions.Embedded;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Hosting;

/// <summary>
/// The gateway as an operator runs it: a separate process, killed with SIGKILL or stopped with SIGTERM, restarted
/// on the same data. These are the slowest tests of the suite (a PostgreSQL cluster is initialized for one of them).
/// </summary>
public sealed class HostProcessTests
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Messages_acknowledged_before_the_host_is_killed_are_there_after_a_restart()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("killed");
        var environment = HostProcess.FixedPorts();
        environment["ConnectionStrings__Sessions"] = connectionString;
        string sessionId;
        string alice;
        var acknowledged = new List<string>();
        await using (var first = HostProcess.Start(environment))
        {
            using var client = await first.WaitUntilReadyAsync();
            (sessionId, alice, _) = await client.CreateSessionAsync();
            for (var i = 1; i <= 20; i++)
            {
                var message = await (await client.AppendAsync(sessionId, alice, $"m{i}")).ExpectJsonAsync(HttpStatusCode.Created);
                acknowledged.Add(message.GetProperty("id").GetString()!);
            }

            await first.KillAsync();
        }

        await using var second = HostProcess.Start(environment);
        using var restarted = await second.WaitUntilReadyAsync();
        var page = await (await restarted.GetAsync($"/api/sessions/{sessionId}/messages?after_seq=0&limit=100")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(acknowledged, page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString()!));
        var next = await (await restarted.AppendAsync(sessionId, alice, "after restart")).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(21, next.GetProperty("seq").GetInt64());

        // The restarted silo (same endpoint, newer generation) declared its killed predecessor Dead itself, rather
        // than waiting for the cluster to notice.
        await using var database = new TestDatabase(connectionString);
        var generations = await database.SiloStatusesAsync();
        Assert.Equal(2, generations.Count);
        Assert.Equal([6, 3], generations.Select(g => g.Status));

    }

    [Fact]
    public async Task Without_configuration_it_runs_a_private_postgres_that_survives_a_kill_and_stops_with_the_host()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "sessions-gateway-tests", Guid.NewGuid().ToString("N"));
        var pidFile = Path.Combine(dataDirectory, "pgdata", "postmaster.pid");
        var environment = HostProcess.FixedPorts();
        environment["SESSIONS_DATA_DIR"] = dataDirectory;
        try
        {
            string sessionId;
            string messageId;
            await using (var first = HostProcess.Start(environment))
            {
                using var client = await first.WaitUntilReadyAsync();
                Assert.Contains("embedded PostgreSQL at 127.0.0.1:", first.StandardOutput, StringComparison.Ordinal);
                (sessionId, var alice, _) = await client.CreateSessionAsync();
                messageId = (await (await client.AppendAsync(sessionId, alice, "kept")).ExpectJsonAsync(HttpStatusCode.Created))
                    .GetProperty("id").GetString()!;

                await first.KillAsync();
            }

            // kill -9 gave the host no chance to stop its server: it is still running on the folder.
            Assert.True(File.Exists(pidFile), "The private PostgreSQL should outlive a killed host.");

            await using var second = HostProcess.Start(environment);
            using (var restarted = await second.WaitUntilReadyAsync())
            {
                var page = await (await restarted.GetAsync($"/api/sessions/{sessionId}/messages")).ExpectJsonAsync(HttpStatusCode.OK);
                Assert.Equal([messageId], page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
            }

            var exitCode = await second.TerminateAsync(StopTimeout);

            Assert.True(exitCode == 0, $"Exit code {exitCode}.\nstdout:\n{second.StandardOutput}\nstderr:\n{second.StandardError}");
            Assert.False(File.Exists(pidFile), $"A graceful stop should stop the private PostgreSQL.\n{second.StandardOutput}");
        }
        finally
        {
            await StopLeftoverServerAsync(dataDirectory);
        }
    }

    [Fact]
    public async Task Without_postgres_binaries_it_exits_non_zero_with_one_line_on_stderr()
    {
        var emptyDirectory = Directory.CreateTempSubdirectory("sessions-no-postgres-").FullName;
        try
        {
            await using var gateway = HostProcess.Start(new Dictionary<string, string?>
            {
                ["PATH"] = emptyDirectory,
                ["Sessions__Embedded__BinariesDirectory"] = emptyDirectory,
                ["SESSIONS_DATA_DIR"] = Path.Combine(emptyDirectory, "data"),
            });

            var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.NotEqual(0, exitCode);
            var line = Assert.Single(gateway.StandardErrorLines, l => l.Length > 0);
            Assert.Contains("PostgreSQL server binaries", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", gateway.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(emptyDirectory, recursive: true);
        }
    }

    private static async Task StopLeftoverServerAsync(string dataDirectory)
    {
        if (!Directory.Exists(dataDirectory))
        {
            return;
        }

        try
        {
            await EmbeddedPostgres.StopAbandonedServerAsync(dataDirectory, NullLogger.Instance, CancellationToken.None);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
