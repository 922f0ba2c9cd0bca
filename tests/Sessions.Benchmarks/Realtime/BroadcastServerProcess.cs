using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Sessions.Benchmarks.Realtime;

/// <summary>Runs <see cref="BroadcastServer"/> as a child process (this assembly, its own mode) and knows its address.</summary>
internal sealed class BroadcastServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BroadcastServerProcess(Process process, Uri address)
    {
        _process = process;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, BaseAddress.Port);

    public int Pid => _process.Id;

    /// <summary>Starts the server; its durable route writes to <paramref name="connectionString"/>'s database.</summary>
    public static async Task<BroadcastServerProcess> StartAsync(int queueLength, string connectionString)
    {
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var info = new ProcessStartInfo(host, [typeof(BroadcastServer).Assembly.Location, BroadcastServer.Mode, "--queue", queueLength.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_gcServer"] = "1";
        info.Environment[BroadcastServer.DatabaseVariable] = connectionString;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the broadcast server.");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(BroadcastServer.ListeningPrefix, StringComparison.Ordinal))
                {
                    // Keep draining its output, so it never blocks on a full pipe.
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new BroadcastServerProcess(process, new Uri(line[BroadcastServer.ListeningPrefix.Length..]));
                }
            }

            throw new InvalidOperationException($"The broadcast server exited ({process.ExitCode}) before it listened.");
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
