using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sessions.Testing;
using Sessions.Testing.Cluster;
using Sessions.Testing.Webhooks;

namespace Sessions.Cluster.Tests.Client;

/// <summary>
/// The sample of docs/orleans-client.md is samples/Sessions.ClientSample, word for word, and it works: run as a process
/// of its own against two silos (an ordinary Orleans client with the contract assembly, ADO.NET clustering and the
/// cluster's ids; no HTTP), it does a back end's work through grains alone, and the cluster, seen from outside (its
/// HTTP API, the webhook endpoint), agrees with what the sample printed.
/// </summary>
public sealed partial class ClientSampleTests(ITestOutputHelper output)
{
    private const string Begins = "// README sample begins";
    private const string Ends = "// README sample ends";
    private const string Page = "docs/orleans-client.md";

    [Fact]
    public void The_orleans_client_page_shows_the_sample_program_word_for_word()
    {
        var program = File.ReadAllLines(Path.Combine(SampleDirectory(), "Program.cs"));
        var sample = program.SkipWhile(line => line.Trim() != Begins).Skip(1).TakeWhile(line => line.Trim() != Ends).ToList();
        var page = File.ReadAllLines(Path.Combine(SiloProcess.RepositoryRoot(), Page));

        Assert.True(sample.Count > 10, $"No sample between '{Begins}' and '{Ends}' in Program.cs.");
        var at = Enumerable.Range(0, Math.Max(0, page.Length - sample.Count + 1)).FirstOrDefault(i => page.Skip(i).Take(sample.Count).SequenceEqual(sample), -1);
        Assert.True(at >= 0, $"{Page} does not contain the sample of samples/Sessions.ClientSample/Program.cs as it is:\n" + string.Join('\n', sample));
    }

    [Fact]
    public async Task The_sample_as_its_own_process_does_a_back_ends_work_through_grains_alone()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var cluster = await LocalCluster.StartAsync(2, new Dictionary<string, string?> { ["Sessions__Webhooks__AllowLoopback"] = "true" });
        var webhook = sink.UrlOf("client-sample");

        var printed = await RunSampleAsync(cluster, webhook.ToString());

        var made = Printed(printed, ParticipantsLine());
        var (alice, bob, agent) = (made.Groups["alice"].Value, made.Groups["bob"].Value, made.Groups["agent"].Value);
        Assert.Equal(webhook.ToString(), made.Groups["url"].Value);
        var token = Printed(printed, TokenLine());
        var session = Printed(printed, SessionLine()).Groups["id"].Value;
        var delivery = Printed(printed, DeliveryLine()).Groups["id"].Value;
        Assert.Equal(delivery, Printed(printed, RedeliveryLine()).Groups["id"].Value);
        var inbox = Printed(printed, InboxLine());
        Assert.Equal((bob, session), (inbox.Groups["participant"].Value, inbox.Groups["session"].Value));

        // What the sample made exists, as the HTTP API of the other silo sees it.
        var admin = cluster.Silos[1].Http;
        Assert.Equal("human", (await GetAsync(admin, $"/api/participants/{alice}")).GetProperty("kind").GetString());
        Assert.Equal("human", (await GetAsync(admin, $"/api/participants/{bob}")).GetProperty("kind").GetString());
        Assert.Equal("agent", (await GetAsync(admin, $"/api/participants/{agent}")).GetProperty("kind").GetString());
        Assert.Equal(webhook.ToString(), (await GetAsync(admin, $"/api/agents/{agent}")).GetProperty("url").GetString());
        var stored = await GetAsync(admin, $"/api/sessions/{session}");
        Assert.Equal((alice, bob, agent, 2L), (
            stored.GetProperty("initiator_id").GetString(), stored.GetProperty("peer_id").GetString(),
            stored.GetProperty("agent_id").GetString(), stored.GetProperty("last_seq").GetInt64()));
        var messages = (await GetAsync(admin, $"/api/sessions/{session}/messages?after_seq=0")).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["hello", "question"], messages.Select(m => m.GetProperty("client_message_id").GetString()));
        Assert.All(messages, m => Assert.Equal(alice, m.GetProperty("sender_id").GetString()));

        // The delivery reached the webhook twice under one webhook-id (its id), and the log shows the manual attempt.
        var posts = sink.Received.Where(r => r.WebhookId == delivery).ToList();
        Assert.True(posts.Count >= 2, $"The webhook got {posts.Count} request(s) with webhook-id {delivery}; ids seen: {string.Join(", ", sink.Received.Select(r => r.WebhookId))}");
        Assert.All(posts, p => Assert.Equal(session, p.SessionId));
        Assert.All(posts, p => Assert.Contains(2L, p.Seqs));
        var logged = await GetAsync(admin, $"/api/deliveries/{delivery}");
        Assert.Equal("succeeded", logged.GetProperty("status").GetString());
        Assert.Equal(["scheduled", "manual"], logged.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("trigger").GetString()));

        // The token acts as alice on the HTTP API: her inbox, not bob's.
        using var asAlice = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = cluster.Silos[0].BaseAddress }.Authorize(token.Groups["token"].Value);
        var aliceInbox = await GetAsync(asAlice, $"/api/participants/{alice}/inbox");
        Assert.Equal([session], aliceInbox.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("session_id").GetString()));
        using (var bobsInbox = await asAlice.GetAsync(new Uri($"/api/participants/{bob}/inbox", UriKind.Relative)))
        {
            await ChatHttp.ExpectAsync(bobsInbox, HttpStatusCode.Forbidden);
        }

        var tokens = (await GetAsync(admin, $"/api/participants/{alice}/tokens")).GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal([token.Groups["id"].Value], tokens.Select(t => t.GetProperty("id").GetString()));
    }

    private async Task<string[]> RunSampleAsync(LocalCluster cluster, string webhook)
    {
        var dll = Path.Combine(SampleDirectory(), "bin", Configuration(), "net10.0", "Sessions.ClientSample.dll");
        var info = new ProcessStartInfo("dotnet", [dll, cluster.ConnectionString, cluster.ClusterId, webhook])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        output.WriteLine($"sample exited with {process.ExitCode}:\n{await stdout}{await stderr}");
        ClusterAssert.True(cluster, process.ExitCode == 0, $"The sample exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");

        // The sample's own lines come among the client's log lines.
        return [.. (await stdout).Split('\n').Select(line => line.Trim())];
    }

    private static Match Printed(string[] lines, Regex line)
    {
        var matches = lines.Select(l => line.Match(l)).Where(m => m.Success).ToList();
        Assert.True(matches.Count == 1, $"The sample printed {matches.Count} line(s) like {line}:\n{string.Join('\n', lines)}");
        return matches[0];
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return await ChatHttp.ExpectAsync(response, HttpStatusCode.OK);
    }

    [GeneratedRegex(@"^participants (?<alice>\S+) (?<bob>\S+), agent (?<agent>\S+) at (?<url>\S+)$")]
    private static partial Regex ParticipantsLine();

    [GeneratedRegex(@"^token (?<id>\S+) (?<token>sst_\S+)$")]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"^session (?<id>\S+) seqs 1 2$")]
    private static partial Regex SessionLine();

    // The sink answers 200 at once: the first attempt succeeds, and the redelivery adds exactly one.
    [GeneratedRegex(@"^delivery (?<id>[0-9a-f-]{36}) Succeeded after 1 attempt\(s\)$")]
    private static partial Regex DeliveryLine();

    [GeneratedRegex(@"^redelivery (?<id>[0-9a-f-]{36}) Succeeded after 2 attempt\(s\), the last Manual$")]
    private static partial Regex RedeliveryLine();

    // Alice sent both messages: bob has read neither.
    [GeneratedRegex(@"^inbox (?<participant>\S+) session (?<session>\S+) unread 2$")]
    private static partial Regex InboxLine();

    private static string SampleDirectory() => Path.Combine(SiloProcess.RepositoryRoot(), "samples", "Sessions.ClientSample");

    private static string Configuration() =>
        typeof(ClientSampleTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
