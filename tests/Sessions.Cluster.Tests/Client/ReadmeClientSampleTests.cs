using System.Diagnostics;
using System.Net;
using System.Reflection;
using Sessions.Testing.Cluster;

namespace Sessions.Cluster.Tests.Client;

/// <summary>
/// The README's Orleans client sample is samples/Sessions.ClientSample, word for word, and it works: run as a process
/// of its own (an ordinary Orleans client with ADO.NET clustering and the cluster's ids, nothing else), it appends to
/// and reads a session of a running cluster.
/// </summary>
public sealed class ReadmeClientSampleTests(ITestOutputHelper output)
{
    private const string Begins = "// README sample begins";
    private const string Ends = "// README sample ends";

    [Fact]
    public void The_readme_shows_the_sample_program_word_for_word()
    {
        var program = File.ReadAllLines(Path.Combine(SampleDirectory(), "Program.cs"));
        var sample = program.SkipWhile(line => line.Trim() != Begins).Skip(1).TakeWhile(line => line.Trim() != Ends).ToList();
        var readme = File.ReadAllLines(Path.Combine(SiloProcess.RepositoryRoot(), "README.md"));

        Assert.True(sample.Count > 10, $"No sample between '{Begins}' and '{Ends}' in Program.cs.");
        var at = Enumerable.Range(0, readme.Length - sample.Count + 1).FirstOrDefault(i => readme.Skip(i).Take(sample.Count).SequenceEqual(sample), -1);
        Assert.True(at >= 0, "README.md does not contain the sample of samples/Sessions.ClientSample/Program.cs as it is:\n" + string.Join('\n', sample));
    }

    [Fact]
    public async Task The_sample_as_its_own_process_appends_to_and_reads_a_session_of_a_running_cluster()
    {
        await using var cluster = await LocalCluster.StartAsync(2);
        var session = (await cluster.CreateSessionsAsync(1))[0];

        var first = await RunSampleAsync(cluster, session);
        var again = await RunSampleAsync(cluster, session);

        Assert.Equal("appended seq 1; the session holds 1 message(s)", first);
        Assert.Equal("appended seq 1; the session holds 1 message(s)", again);
        using var response = await cluster.Silos[1].Http.GetAsync(new Uri($"/api/sessions/{session.Id}/messages?after_seq=0", UriKind.Relative));
        var message = Assert.Single((await ChatHttp.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("messages").EnumerateArray());
        Assert.Equal("msg-1", message.GetProperty("client_message_id").GetString());
        Assert.Equal(session.Initiator, message.GetProperty("sender_id").GetString());
        Assert.Equal("hi", message.GetProperty("content").GetProperty("text").GetString());
    }

    private async Task<string> RunSampleAsync(LocalCluster cluster, TestSession session)
    {
        var dll = Path.Combine(SampleDirectory(), "bin", Configuration(), "net10.0", "Sessions.ClientSample.dll");
        var info = new ProcessStartInfo("dotnet", [dll, cluster.ConnectionString, cluster.ClusterId, session.Id, session.Initiator])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"sample exited with {process.ExitCode}: {await stdout}{await stderr}");
        ClusterAssert.True(cluster, process.ExitCode == 0, $"The sample exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        // The sample prints one line of its own among the client's log lines.
        return (await stdout).Split('\n').Select(line => line.Trim()).LastOrDefault(line => line.StartsWith("appended", StringComparison.Ordinal)) ?? "";
    }

    private static string SampleDirectory() => Path.Combine(SiloProcess.RepositoryRoot(), "samples", "Sessions.ClientSample");

    private static string Configuration() =>
        typeof(ReadmeClientSampleTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
