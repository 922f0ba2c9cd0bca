using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;
using Orleans.Runtime.MembershipService;
using Orleans.Storage;
using Sessions.Storage.Migrations;
using Sessions.Testing;
using Xunit.Abstractions;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>The OrleansQuery rows the migrations install: the keys and parameters of the providers' contract.</summary>
[Collection(OrleansCollection.Name)]
public sealed partial class OrleansQueryTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every key of the Orleans 10.4.2 ADO.NET contract with the parameters its provider binds (Orleans'
    /// DbStoredQueries.Columns and AdoNetGrainStorage). A statement must use each of them: one left out is a filter
    /// left out.
    /// </summary>
    private static readonly Dictionary<string, string[]> Contract = new()
    {
        // Clustering
        ["InsertMembershipVersionKey"] = ["DeploymentId"],
        ["InsertMembershipKey"] = ["DeploymentId", "Address", "Port", "Generation", "SiloName", "HostName", "Status", "ProxyPort", "StartTime", "IAmAliveTime", "Version"],
        ["UpdateMembershipKey"] = ["DeploymentId", "Address", "Port", "Generation", "Status", "SuspectTimes", "IAmAliveTime", "Version"],
        ["UpdateIAmAlivetimeKey"] = ["DeploymentId", "Address", "Port", "Generation", "IAmAliveTime"],
        ["MembershipReadRowKey"] = ["DeploymentId", "Address", "Port", "Generation"],
        ["MembershipReadAllKey"] = ["DeploymentId"],
        ["GatewaysQueryKey"] = ["DeploymentId", "Status"],
        ["DeleteMembershipTableEntriesKey"] = ["DeploymentId"],
        ["CleanupDefunctSiloEntriesKey"] = ["DeploymentId", "IAmAliveTime"],
        ["CleanupDefunctSiloEntryKey"] = ["DeploymentId", "Address", "Port", "Generation", "SuspectTimes", "StartTime", "IAmAliveTime"],

        // Grain storage
        ["ReadFromStorageKey"] = ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId"],
        ["WriteToStorageKey"] = ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId", "GrainStateVersion", "PayloadBinary"],
        ["ClearStorageKey"] = ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId", "GrainStateVersion"],
        ["DeleteStorageKey"] = ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId", "GrainStateVersion"],

        // Reminders
        ["UpsertReminderRowKey"] = ["ServiceId", "GrainId", "ReminderName", "StartTime", "Period", "GrainHash"],
        ["ReadReminderRowsKey"] = ["ServiceId", "GrainId"],
        ["ReadReminderRowKey"] = ["ServiceId", "GrainId", "ReminderName"],
        ["ReadRangeRows1Key"] = ["ServiceId", "BeginHash", "EndHash"],
        ["ReadRangeRows2Key"] = ["ServiceId", "BeginHash", "EndHash"],
        ["DeleteReminderRowKey"] = ["ServiceId", "GrainId", "ReminderName", "Version"],
        ["DeleteReminderRowsKey"] = ["ServiceId"],

        // Streams
        ["QueueStreamMessageKey"] = ["ServiceId", "ProviderId", "QueueId", "Payload", "ExpiryTimeout"],
        ["GetStreamMessagesKey"] = ["ServiceId", "ProviderId", "QueueId", "MaxCount", "MaxAttempts", "VisibilityTimeout", "RemovalTimeout", "EvictionInterval", "EvictionBatchSize"],
        ["ConfirmStreamMessagesKey"] = ["ServiceId", "ProviderId", "QueueId", "Items"],
        ["FailStreamMessageKey"] = ["ServiceId", "ProviderId", "QueueId", "MessageId", "MaxAttempts", "RemovalTimeout"],
        ["EvictStreamMessagesKey"] = ["ServiceId", "ProviderId", "QueueId", "MaxCount", "MaxAttempts", "RemovalTimeout"],
        ["EvictStreamDeadLettersKey"] = ["ServiceId", "ProviderId", "QueueId", "MaxCount"],
    };

    /// <summary>Keys a provider uses when present but does without (the others make it refuse to start).</summary>
    private static readonly string[] Optional = ["CleanupDefunctSiloEntryKey", "DeleteStorageKey"];

    [Fact]
    public async Task Every_key_of_the_contract_is_installed_with_exactly_its_parameters()
    {
        var queries = await ReadQueriesAsync(await TestPostgres.CreateDatabaseAsync("orleans_queries"));

        Assert.Equal(Contract.Keys.Order(StringComparer.Ordinal), queries.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, parameters) in Contract)
        {
            var used = Placeholder().Matches(queries[key]).Select(m => m.Groups[1].Value).Distinct();
            Assert.True(
                parameters.Order(StringComparer.Ordinal).SequenceEqual(used.Order(StringComparer.Ordinal)),
                $"{key} uses @{string.Join(", @", used)}; the provider binds @{string.Join(", @", parameters)}.");
        }
    }

    /// <summary>The list above against the packages themselves, so that it cannot drift from what they demand.</summary>
    [Fact]
    public void The_required_keys_are_those_the_provider_packages_check_for()
    {
        // The clustering, reminder and stream providers refuse to start unless every property of their DbStoredQueries
        // names an installed key; the grain storage looks its keys up in its initialization query.
        var clustering = RequiredBy(typeof(AdoNetClusteringTable).Assembly, "Orleans.Clustering.AdoNet.Storage.DbStoredQueries");
        var reminders = RequiredBy(
            typeof(Orleans.Configuration.AdoNetReminderTableOptions).Assembly, "Orleans.Reminders.AdoNet.Storage.DbStoredQueries");
        var streams = RequiredBy(typeof(Orleans.Configuration.AdoNetStreamOptions).Assembly, "Orleans.Streaming.AdoNet.Storage.DbStoredQueries");
        var storage = Contract.Keys.Where(key => AdoNetGrainStorage.DefaultInitializationQuery.Contains($"'{key}'", StringComparison.Ordinal));

        Assert.Equal(
            Contract.Keys.Except(Optional).Order(StringComparer.Ordinal),
            clustering.Concat(reminders).Concat(streams).Concat(storage.Except(Optional)).Order(StringComparer.Ordinal));
        Assert.Contains("DeleteStorageKey", storage);
    }

    [Fact]
    public async Task Rerunning_the_orleans_migrations_keeps_everything_and_restores_an_altered_statement()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("orleans_queries");
        var installed = await ReadQueriesAsync(connectionString);
        await Db.ExecuteAsync(connectionString, "update orleansquery set querytext = 'select 1' where querykey = 'GatewaysQueryKey'");
        await Db.ExecuteAsync(connectionString, "insert into orleans_membership_version (deployment_id, version) values ('kept', 5)");

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var migration in MigrationCatalog.All.Where(m => m.Name.StartsWith("orleans_", StringComparison.Ordinal)))
            {
                await using var command = new NpgsqlCommand(migration.Sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        Assert.Equal(installed, await ReadQueriesAsync(connectionString));
        Assert.Equal(5, await Db.VersionAsync(connectionString, "kept"));
    }

    /// <summary>
    /// A database that lacks a key a provider needs keeps the silo from starting (rather than failing later). The
    /// clustering and reminder providers name the key; the grain storage fails looking it up in its initialization.
    /// What the silo had started by then is stopped: its listeners are closed (left open, they were the sign of a
    /// half-started silo whose loops went on eating the test process's CPU).
    /// </summary>
    [Theory]
    [InlineData("UpdateIAmAlivetimeKey", "Missing are: UpdateIAmAlivetimeKey")]
    [InlineData("WriteToStorageKey", "AdoNetGrainStorage.Init")]
    [InlineData("ReadRangeRows1Key", "Missing are: ReadRangeRows1Key")]
    public async Task A_silo_refuses_to_start_on_a_database_missing_a_required_key(string key, string evidence)
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("orleans_missing");
        Assert.Equal(1, await Db.ExecuteAsync(connectionString, "delete from orleansquery where querykey = $1", key));
        var silo = new TestSilo(connectionString, "missing")
        {
            Output = output,
            GrainStorages = new Dictionary<string, bool> { ["store"] = false },
            Reminders = true,
        };

        var failure = await Record.ExceptionAsync(async () =>
        {
            using var host = await OrleansTestHosts.StartSiloAsync(silo);
            await OrleansTestHosts.StopAsync(host);
        });

        Assert.NotNull(failure);
        Assert.Contains(evidence, failure.ToString(), StringComparison.Ordinal);
        Assert.False(await AcceptsConnectionsAsync(silo.SiloPort), "The silo port still listens.");
        Assert.False(await AcceptsConnectionsAsync(silo.GatewayPort), "The gateway port still listens.");
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }

    private static IEnumerable<string> RequiredBy(Assembly provider, string typeName) =>
        (provider.GetType(typeName, throwOnError: true)!)
            .GetProperties(BindingFlags.Instance | BindingFlags.NonPublic)
            .Select(p => p.Name);

    private static async Task<Dictionary<string, string>> ReadQueriesAsync(string connectionString) =>
        (await Db.ListAsync(connectionString, "select QueryKey, QueryText from OrleansQuery", r => (r.GetString(0), r.GetString(1))))
        .ToDictionary(row => row.Item1, row => row.Item2);

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex Placeholder();
}
