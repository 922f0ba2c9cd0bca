using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Sessions.Testing;

namespace Sessions.Gateway.Tests;

/// <summary>
/// The built gateway run as a separate OS process (<c>dotnet Sessions.Host.dll</c>), as an operator runs it, so that
/// it can be killed with SIGKILL or stopped with SIGTERM. It listens on a port it picks (<c>--urls</c> with port 0);
/// the address is read from its "Now listening on" log line.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardOutput => string.Join('\n', _stdout);

    public string StandardError => string.Join('\n', _stderr);

    public IReadOnlyList<string> StandardErrorLines => _stderr.ToArray();

    /// <summary>
    /// Silo and gateway ports chosen once, for a gateway that is restarted: as with the fixed default ports, the
    /// restarted silo comes back at the same endpoint, a new generation that supersedes the old one at once.
    /// </summary>
    public static Dictionary<string, string?> FixedPorts() => new()
    {
        ["SESSIONS_SILO_PORT"] = Sessions.Testing.Cluster.FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SESSIONS_GATEWAY_PORT"] = Sessions.Testing.Cluster.FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Starts the gateway. Its environment is this process's, minus anything that would choose its database, plus the
    /// tests' admin key, plus <paramref name="environment"/> (a null value removes a variable).
    /// </summary>
    public static HostProcess Start(IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(DotnetHost(), [HostDll(), "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.Environment.Remove("ConnectionStrings__Sessions");
        info.Environment.Remove("SESSIONS_DATA_DIR");
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment["Logging__LogLevel__Default"] = "Information";
        info.Environment["Logging__LogLevel__Npgsql"] = "Warning";
        info.Environment["SESSIONS_SILO_PORT"] = "0";
        info.Environment["SESSIONS_GATEWAY_PORT"] = "0";
        info.Environment[TestCredentials.AdminKeyVariable] = TestCredentials.AdminKey;
        foreach (var (name, value) in TestRateLimits.AsEnvironment())
        {
            info.Environment[name] = value;
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var gateway = new HostProcess(process);
        process.OutputDataReceived += (_, e) => gateway.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                gateway._stderr.Enqueue(e.Data);
            }
        };
        process.Exited += (_, _) => gateway._address.TrySetException(
            new InvalidOperationException($"The gateway exited before listening.\nstdout:\n{gateway.StandardOutput}\nstderr:\n{gateway.StandardError}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>
    /// Waits until the gateway listens and <c>/readyz</c> answers 200; returns a client for it that sends
    /// <paramref name="token"/> (default: the tests' admin key, which <see cref="Start"/> configures unless told not to).
    /// </summary>
    public async Task<HttpClient> WaitUntilReadyAsync(string token = TestCredentials.AdminKey)
    {
        var address = await _address.Task.WaitAsync(StartTimeout);
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) }.Authorize(token);
        await Sessions.Testing.Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await client.GetAsync("/readyz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"/readyz of the gateway at {address} answers 200", StartTimeout);
        return client;
    }

    /// <summary>kill -9: no shutdown code runs, exactly like a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM, as Kubernetes or systemd stop a service; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        // The parameterless wait also drains the redirected output.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        _stdout.Enqueue(line);
        if (ListeningOn().Match(line) is { Success: true } match)
        {
            _address.TrySetResult(new Uri(match.Groups["address"].Value));
        }
    }

    // Where the built gateway and the repository are: shared with the cluster launcher.
    public static string HostDll() => Sessions.Testing.Cluster.SiloProcess.HostDll();

    public static string RepositoryRoot() => Sessions.Testing.Cluster.SiloProcess.RepositoryRoot();

    // The test host itself runs under the dotnet muxer; use the same one.
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    [GeneratedRegex(@"Now listening on: (?<address>http://\S+)")]
    private static partial Regex ListeningOn();
}
