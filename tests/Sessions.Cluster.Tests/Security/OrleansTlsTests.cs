using System.Diagnostics;
using System.Net;
using Sessions.Client;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Security;

/// <summary>
/// With <c>SESSIONS_ORLEANS_TLS_*</c> set, the silos talk to each other over mutual TLS, and their gateways admit an
/// Orleans client only with a certificate from the cluster's root.
/// </summary>
public sealed class OrleansTlsTests(ITestOutputHelper output)
{
    /// <summary>How long a client may take to be admitted, or turned down by every gateway.</summary>
    private static readonly TimeSpan RefusalDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_silos_form_a_cluster_over_mutual_tls_and_admit_only_clients_with_a_certificate_from_its_root()
    {
        using var authority = new TestCertificateAuthority("sessions-cluster");
        using var stranger = new TestCertificateAuthority("someone-else");
        var silo = authority.Issue("silo");

        // Starting returns once both silos are Active and each counts the other: they probed each other over TLS.
        await using var cluster = await LocalCluster.StartAsync(2, new Dictionary<string, string?>
        {
            ["SESSIONS_ORLEANS_TLS_CERTIFICATE"] = silo.CertificatePath,
            ["SESSIONS_ORLEANS_TLS_KEY"] = silo.KeyPath,
            ["SESSIONS_ORLEANS_TLS_CA"] = silo.CaPath,
        });

        using var connectDeadline = new CancellationTokenSource(RefusalDeadline);
        await using var client = await ConnectAsync(cluster, authority.Issue("client"), cancellationToken: connectDeadline.Token);
        Assert.Equal(2, (await client.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count);

        // Every append enters at the silo that does not hold the session, so each one is a silo-to-silo call.
        var sessions = await cluster.CreateSessionsAsync(6);
        foreach (var session in sessions)
        {
            var host = cluster.ProcessOf((await client.HostOfAsync(session.Id))!);
            var other = cluster.Silos.Single(s => s != host);
            using var appended = await other.Http.SendAsync(ChatHttp.AppendRequest(session.Id, session.Initiator, ChatHttp.Unique("tls")));
            ClusterAssert.True(cluster, appended.StatusCode == HttpStatusCode.Created, $"An append through {other.Name} to a session on {host.Name} answered {(int)appended.StatusCode}.");
        }

        await AssertRefusedAsync(cluster, tls: null, "without TLS");
        // Trusting the silos, but holding a certificate they do not trust: the gateways' own check turns it down.
        await AssertRefusedAsync(cluster, stranger.Issue("client") with { CaPath = authority.RootPath }, "with a certificate from another root");
    }

    private static Task<SessionsClusterClient> ConnectAsync(
        LocalCluster cluster, OrleansTlsFiles? tls, RecordingLoggerProvider? logs = null, CancellationToken cancellationToken = default) =>
        SessionsClusterClient.ConnectAsync(
            new ClusterClientOptions { ConnectionString = cluster.ConnectionString, ClusterId = cluster.ClusterId, Tls = tls },
            logs is null ? null : logs.AddTo,
            cancellationToken);

    // Orleans clients retry refused gateways until started or cancelled: refused means that every gateway has turned
    // down a connection attempt (the client logs each one) and no call got through.
    private async Task AssertRefusedAsync(LocalCluster cluster, OrleansTlsFiles? tls, string how)
    {
        var clock = Stopwatch.StartNew();
        var logs = new RecordingLoggerProvider("client");
        using var cancel = new CancellationTokenSource();
        var connecting = ConnectAsync(cluster, tls, logs, cancel.Token);
        var gateways = cluster.Silos.Select(s => $"S127.0.0.1:{s.GatewayPort}:0 failed").ToList();
        while (!gateways.All(logs.Text.Contains) && !connecting.IsCompleted && clock.Elapsed < RefusalDeadline)
        {
            await Task.Delay(100);
        }

        await cancel.CancelAsync();
        try
        {
            await using var admitted = await connecting;
            await admitted.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            Assert.Fail($"A client {how} called a grain through the gateways.");
        }
        catch (OperationCanceledException)
        {
        }

        output.WriteLine($"a client {how}: refused by every gateway within {clock.ElapsedMilliseconds} ms\n{logs.Text}");
        Assert.True(gateways.All(logs.Text.Contains), $"A client {how} was neither admitted nor turned down by every gateway within {RefusalDeadline}:\n{logs.Text}");
    }
}
