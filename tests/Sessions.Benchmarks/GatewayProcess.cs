using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sessions.Benchmarks;

/// <summary>The real gateway, started as its own OS process (as in production) on a free loopback port.</summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<GatewayProcess> StartAsync(string connectionString)
    {
        var dll = LocateGatewayDll();
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString());
        start.Environment["ConnectionStrings__Sessions"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["DOTNET_gcServer"] = "1";
        start.Environment["SESSIONS_SILO_PORT"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the gateway.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  gateway: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with code {process.ExitCode} before it was ready.");
            }

            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return new GatewayProcess(process, address);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("The gateway did not become ready within 60 s.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The gateway built in the same configuration as this benchmark (Release when run as documented).</summary>
    private static string LocateGatewayDll()
    {
        var here = AppContext.BaseDirectory;
        var configuration = here.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(here); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sessions.Orleans.sln")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Sessions.Gateway", "bin", configuration, "net10.0", "Sessions.Gateway.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the gateway first: {dll} is missing.");
            }
        }

        throw new DirectoryNotFoundException("Sessions.Orleans.sln not found above the benchmark's folder.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
