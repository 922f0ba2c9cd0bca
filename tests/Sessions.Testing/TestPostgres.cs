using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Sessions.Storage;
using Sessions.Embedded;
using Sessions.Storage.Migrations;

namespace Sessions.Testing;

/// <summary>
/// The PostgreSQL server of this test process: the one named by <c>SESSIONS_TEST_CONNECTION_STRING</c>, or else
/// one embedded server per process, started on first use in <c>/tmp/sessions-tests/&lt;pid&gt;</c> and stopped and
/// deleted once the process has exited (see <see cref="ExitJanitor"/>). Tests keep apart by taking a fresh
/// database each (<see cref="CreateDatabaseAsync"/>).
/// </summary>
public static class TestPostgres
{
    public const string ConnectionStringVariable = "SESSIONS_TEST_CONNECTION_STRING";
    private const string TestRoot = "/tmp/sessions-tests";

    private static readonly Lazy<Task<string>> Server = new(StartServerAsync);

    /// <summary>A connection string to the server's maintenance database, for tests that manage databases themselves.</summary>
    public static Task<string> GetServerConnectionStringAsync() => Server.Value;

    /// <summary>Creates a uniquely named database with the current schema and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var connectionString = await CreateEmptyDatabaseAsync(prefix).ConfigureAwait(false);
        await using var dataSource = SessionsDataSource.Create(connectionString);
        await MigrationRunner.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None).ConfigureAwait(false);
        return connectionString;
    }

    /// <summary>Creates a uniquely named database without any schema and returns its connection string.</summary>
    public static async Task<string> CreateEmptyDatabaseAsync(string? prefix = null)
    {
        var server = await Server.Value.ConfigureAwait(false);
        var name = UniqueName(prefix);
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    // Lower-case letters, digits and underscores only, so the name needs no quoting anywhere; 63 bytes at most.
    private static string UniqueName(string? prefix)
    {
        var cleaned = new string((prefix ?? "test").ToLowerInvariant().Where(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_').ToArray());
        var start = cleaned.Length == 0 ? "test" : cleaned[..Math.Min(cleaned.Length, 40)];
        return $"{start}_{Guid.NewGuid():N}"[..Math.Min(start.Length + 1 + 20, 63)];
    }

    private static async Task<string> StartServerAsync()
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } external)
        {
            return external;
        }

        await RemoveLeftoversOfDeadProcessesAsync().ConfigureAwait(false);
        var directory = Path.Combine(TestRoot, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        // Armed before the server starts, so a process killed during start-up leaves nothing running either.
        ExitJanitor.CleanUpAfterExit(directory);
        var postgres = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = directory, DatabaseName = "postgres" },
            NullLogger.Instance, CancellationToken.None).ConfigureAwait(false);

        if (postgres.DataDirectory != directory)
        {
            ExitJanitor.CleanUpAfterExit(postgres.DataDirectory);
        }

        // The server is never disposed: it lives as long as the process, and the janitor stops it afterwards.
        return postgres.ConnectionString;
    }

    // A test process that was killed leaves its server running and its folder behind; the next one cleans up.
    private static async Task RemoveLeftoversOfDeadProcessesAsync()
    {
        if (!Directory.Exists(TestRoot))
        {
            // Shared by every user's test runs, like /tmp itself.
            Directory.CreateDirectory(TestRoot);
            TryShare(TestRoot);
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(TestRoot))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsAlive(pid))
            {
                continue;
            }

            try
            {
                await EmbeddedPostgres.StopAbandonedServerAsync(directory, NullLogger.Instance, CancellationToken.None).ConfigureAwait(false);
                TryDelete(directory);
            }
            catch (Exception e) when (e is EmbeddedPostgresException or IOException or UnauthorizedAccessException)
            {
                // Someone else (another test process, or the dead one's janitor) is cleaning it up right now.
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryShare(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b1_111_111_111); // 1777
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Made by another user meanwhile: theirs to share.
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a later test run removes what is left.
        }
    }
}
