using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Sessions.Benchmarks.Realtime;

/// <summary>The parent's handle on a <see cref="SubscriberHost"/> process: start it, drive its rounds, read its receipts.</summary>
internal sealed class SubscriberHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SubscriberHostProcess(Process process, string folder, int subscribers, double seconds)
    {
        _process = process;
        _folder = folder;
        Subscribers = subscribers;
        ConnectSeconds = seconds;
    }

    public int Pid => _process.Id;

    public int Subscribers { get; }

    /// <summary>How long connecting and subscribing every subscriber took.</summary>
    public double ConnectSeconds { get; }

    /// <summary>Starts the process and waits until all <c>topics × perTopic</c> subscribers are subscribed.</summary>
    public static async Task<SubscriberHostProcess> StartAsync(IPEndPoint server, string[] topics, int perTopic, int concurrency)
    {
        var folder = Directory.CreateTempSubdirectory("sessions-realtime-").FullName;
        var topicsFile = Path.Combine(folder, "topics");
        await File.WriteAllLinesAsync(topicsFile, topics);
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var info = new ProcessStartInfo(host,
        [
            typeof(SubscriberHost).Assembly.Location, SubscriberHost.Mode, "--server", server.ToString(), "--topics", topicsFile,
            "--per-topic", perTopic.ToString(CultureInfo.InvariantCulture), "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
        ])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start a subscriber process.");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(5));
            if (line is null || !line.StartsWith("ready ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The subscribers of {server} did not come up: {line ?? $"the process exited with {(process.HasExited ? process.ExitCode : -1)}"}");
            }

            var parts = line.Split(' ');
            return new SubscriberHostProcess(process, folder, int.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>From now on the subscribers record the receipts of messages appended in <paramref name="round"/>.</summary>
    public Task StartRoundAsync(int round, int capacity) => AskAsync($"start {round} {capacity}");

    public async Task<int> CountAsync() => int.Parse((await AskAsync("count"))["count ".Length..], CultureInfo.InvariantCulture);

    /// <summary>Ends the round and returns its receipts.</summary>
    public async Task<ReceiptRound> StopRoundAsync()
    {
        var file = Path.Combine(_folder, "receipts");
        await AskAsync($"stop {file}");
        var round = ReceiptRound.ReadFrom(file);
        File.Delete(file);
        return round;
    }

    /// <summary>Over all subscribers: messages received in order, seqs skipped, seqs repeated, connections ended, and the first reason.</summary>
    public async Task<string> CheckAsync()
    {
        var parts = (await AskAsync("check")).Split(' ', 6);
        return $"{parts[1]} messages received in seq order, {parts[2]} seqs skipped, {parts[3]} repeated, {parts[4]} connections ended early"
            + (parts.Length > 5 && parts[5].Length > 0 ? $" (first: {parts[5]})" : "");
    }

    private async Task<string> AskAsync(string command)
    {
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            return await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))
                ?? throw new InvalidOperationException($"A subscriber process exited ({command}).");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception exception) when (exception is TimeoutException or IOException)
        {
            _process.Kill();
        }

        _process.Dispose();
        _gate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
