using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Sessions.Host;
using Sessions.Gateway.Hosting;
using Sessions.Embedded;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Authentication;

/// <summary>
/// Admin keys: configured (one, or several to rotate), or generated once by a gateway on its embedded database and kept
/// in its data folder; a gateway on a configured database without one refuses to start.
/// </summary>
public sealed class AdminKeyTests
{
    private const string SecondKey = "a-second-admin-key-for-rotation-0123456789";

    [Fact]
    public async Task On_its_embedded_database_a_gateway_without_a_key_generates_one_once_keeps_it_owner_only_and_logs_only_where_it_is()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "sessions-gateway-tests", Guid.NewGuid().ToString("N"));
        var keyFile = Path.Combine(dataDirectory, "admin.key");
        var environment = HostProcess.FixedPorts();
        environment["SESSIONS_DATA_DIR"] = dataDirectory;
        environment[TestCredentials.AdminKeyVariable] = null;
        try
        {
            string key;
            await using (var first = HostProcess.Start(environment))
            {
                using var unauthenticated = await first.WaitUntilReadyAsync(token: "not-the-key-not-the-key-not-the-key-0000");
                key = (await File.ReadAllTextAsync(keyFile)).Trim();
                Assert.StartsWith("ssa_", key, StringComparison.Ordinal);
                Assert.True(key.Length >= 4 + 43, "a generated key holds at least 256 random bits");
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
                }

                await (await unauthenticated.GetAsync("/api/participants")).ExpectUnauthorizedAsync("token-unknown");
                using var admin = unauthenticated.As(key);
                await (await admin.GetAsync("/api/participants")).ExpectJsonAsync(HttpStatusCode.OK);
                Assert.Contains($"stored it in {keyFile}", first.StandardOutput, StringComparison.Ordinal);
                Assert.DoesNotContain(key, first.StandardOutput + first.StandardError, StringComparison.Ordinal);
                Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(60)));
            }

            await using var second = HostProcess.Start(environment);
            using var restarted = await second.WaitUntilReadyAsync(token: key);

            await (await restarted.GetAsync("/api/participants")).ExpectJsonAsync(HttpStatusCode.OK);
            Assert.Equal(key, (await File.ReadAllTextAsync(keyFile)).Trim());
            Assert.Contains($"using the one stored in {keyFile}", second.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(key, second.StandardOutput + second.StandardError, StringComparison.Ordinal);
            Assert.Equal(0, await second.TerminateAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            await StopLeftoverServerAsync(dataDirectory);
        }
    }

    [Fact]
    public async Task On_a_configured_database_a_gateway_without_a_key_exits_non_zero_saying_how_to_set_one()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("nokey");
        await using var gateway = HostProcess.Start(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Sessions"] = connectionString,
            [TestCredentials.AdminKeyVariable] = null,
        });

        var exitCode = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("No admin key is configured", gateway.StandardError, StringComparison.Ordinal);
        Assert.Contains(TestCredentials.AdminKeyVariable, gateway.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", gateway.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("too-short-a-key")]
    [InlineData("a key with spaces in it that is long enough")]
    public async Task A_configured_key_that_cannot_be_one_stops_the_start_without_quoting_it(string key)
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("badkey");

        var refusal = await Assert.ThrowsAsync<HostStartupException>(() => BuildAsync(connectionString, new() { [TestCredentials.AdminKeyVariable] = key }));

        Assert.Contains(TestCredentials.AdminKeyVariable, refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_configured_keys_all_work_so_that_a_key_can_be_rotated()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("rotation");
        await using var gateway = await GatewayFixture.StartGatewayAsync(connectionString, new Dictionary<string, string?>
        {
            ["Sessions:Auth:AdminKeys:0"] = SecondKey,
        });
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Addresses.First()) };

        using var first = client.As(TestCredentials.AdminKey);
        using var second = client.As(SecondKey);
        await (await first.GetAsync("/api/agents")).ExpectJsonAsync(HttpStatusCode.OK);
        await (await second.GetAsync("/api/agents")).ExpectJsonAsync(HttpStatusCode.OK);
        await gateway.StopAsync();
    }

    private static Task<HostApp> BuildAsync(string connectionString, Dictionary<string, string?> settings) =>
        SessionsHost.BuildAsync(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Sessions"] = connectionString,
                ["SESSIONS_SILO_PORT"] = "0",
                ["SESSIONS_GATEWAY_PORT"] = "0",
            });
            builder.Configuration.AddInMemoryCollection(settings);
        });

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
