using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Runtime;
using Sessions.Storage.Tests.Support;
using Sessions.Testing;
using Xunit.Abstractions;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>Real silos and a real client form a cluster through the membership tables that the migrations made.</summary>
[Collection(OrleansCollection.Name)]
public sealed class ClusterTests(ITestOutputHelper output)
{
    private const int Active = (int)SiloStatus.Active;
    private const int Dead = (int)SiloStatus.Dead;

    [Fact]
    public async Task Two_silos_join_through_the_table_a_client_calls_them_and_a_stopped_silo_ends_dead()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("orleans_cluster");
        var first = new TestSilo(connectionString, "two-silos") { Output = output };
        var second = first.Sibling();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var firstHost = await OrleansTestHosts.StartSiloAsync(first);
        output.WriteLine($"{clock.Elapsed}: first silo started");
        using var secondHost = await OrleansTestHosts.StartSiloAsync(second);
        output.WriteLine($"{clock.Elapsed}: second silo started");

        var firstAddress = Address(firstHost);
        var secondAddress = Address(secondHost);
        await WaitForStatusAsync(connectionString, "two-silos", firstAddress, Active);
        await WaitForStatusAsync(connectionString, "two-silos", secondAddress, Active);
        // Each silo's row went in (Joining) and was updated (Active), a version bump each; the protocol may bump it
        // more (suspicions, the second silo's view of the first), so at least four.
        Assert.True(await Db.VersionAsync(connectionString, "two-silos") >= 4);

        output.WriteLine($"{clock.Elapsed}: both active in the table");
        using (var clientHost = await OrleansTestHosts.StartClientAsync(connectionString, "two-silos"))
        {
            var client = clientHost.Services.GetRequiredService<IClusterClient>();
            var silo = await client.GetGrain<IPingGrain>("ping").SiloAsync();
            Assert.Contains(silo, new[] { firstAddress.ToParsableString(), secondAddress.ToParsableString() });
            output.WriteLine($"{clock.Elapsed}: the client called a grain");
            await OrleansTestHosts.StopAsync(clientHost);
        }

        var versionBeforeStop = await Db.VersionAsync(connectionString, "two-silos");
        await OrleansTestHosts.StopAsync(secondHost);
        output.WriteLine($"{clock.Elapsed}: second silo stopped");

        var silos = await Db.SilosAsync(connectionString, "two-silos");
        Assert.Equal(Dead, silos[(secondAddress.Endpoint.Port, secondAddress.Generation)]);
        Assert.Equal(Active, silos[(firstAddress.Endpoint.Port, firstAddress.Generation)]);
        Assert.True(await Db.VersionAsync(connectionString, "two-silos") > versionBeforeStop);
        await OrleansTestHosts.StopAsync(firstHost);
        output.WriteLine($"{clock.Elapsed}: first silo stopped");
    }

    [Fact]
    public async Task A_silo_restarted_on_the_address_of_an_abandoned_generation_becomes_active_and_buries_the_old_one()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("orleans_restart");
        var silo = new TestSilo(connectionString, "restart") { Output = output };

        // The previous generation at this very address and port died without a word: its row still says Active, with
        // a heartbeat a while ago. (Written the way the provider would have: the version row, the silo row, a bump.)
        await Db.ExecuteAsync(connectionString, "insert into orleans_membership_version (deployment_id, version) values ($1, 7)", "restart");
        await Db.ExecuteAsync(
            connectionString,
            """
            insert into orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
                                            start_time, iamalive_time)
            values ($1, '127.0.0.1', $2, 1, 'abandoned', 'localhost', 3, $3, now() - interval '10 minutes', now() - interval '5 minutes')
            """,
            "restart", silo.SiloPort, silo.GatewayPort);

        var started = DateTime.UtcNow;
        using var host = await OrleansTestHosts.StartSiloAsync(silo);
        var address = Address(host);
        await WaitForStatusAsync(connectionString, "restart", address, Active);
        // Well under waiting for the old generation's probes to fail, which a starved test process can stretch too.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(45), $"Took {DateTime.UtcNow - started} to become active.");

        var silos = await Db.SilosAsync(connectionString, "restart");
        Assert.Equal(Dead, silos[(silo.SiloPort, 1)]);
        Assert.True(address.Generation > 1);
        Assert.True(await Db.VersionAsync(connectionString, "restart") > 7);
        await OrleansTestHosts.StopAsync(host);
    }

    [Fact]
    public async Task A_silo_that_reads_itself_dead_in_the_table_stops_and_the_test_host_lives_on()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("orleans_declared_dead");
        var silo = new TestSilo(connectionString, "declared-dead") { Output = output };
        using var host = await OrleansTestHosts.StartSiloAsync(silo);
        var address = Address(host);
        await WaitForStatusAsync(connectionString, "declared-dead", address, Active);

        // What a peer's death declaration writes: the row says Dead and the version moves.
        await Db.ExecuteAsync(
            connectionString,
            "update orleans_membership set status = $1 where deployment_id = $2 and port = $3 and generation = $4",
            Dead, "declared-dead", address.Endpoint.Port, address.Generation);
        await Db.ExecuteAsync(connectionString, "update orleans_membership_version set version = version + 1 where deployment_id = $1", "declared-dead");

        var errors = host.Services.GetRequiredService<TestSiloFatalErrors>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (errors.First is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains("I have been told I am dead", errors.First);
        var stop = await Assert.ThrowsAsync<InvalidOperationException>(() => OrleansTestHosts.StopAsync(host));
        Assert.Contains("fatal error", stop.Message);
    }

    private static SiloAddress Address(IHost silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    private static async Task WaitForStatusAsync(string connectionString, string clusterId, SiloAddress silo, int status)
    {
        var current = -1;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (current != status)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Silo {silo} still has status {current} in the table, not {status}.");
            }

            var silos = await Db.SilosAsync(connectionString, clusterId);
            current = silos.GetValueOrDefault((silo.Endpoint.Port, silo.Generation), -1);
            if (current != status)
            {
                await Task.Delay(50);
            }
        }
    }
}
