using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;

namespace Sessions.Testing.Cluster;

/// <summary>
/// One silo as its own OS process: the built gateway (<c>dotnet src/Sessions.Host/bin/&lt;Configuration&gt;/net10.0/Sessions.Host.dll</c>,
/// the configuration this assembly was built in), as an operator or a pod runs it, so a test can kill it with SIGKILL
/// or stop it with SIGTERM and start it again on the same HTTP and silo ports. Everything it writes to stdout and
/// stderr is kept, across restarts, for assertion messages (<see cref="OutputTail"/>).
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(30);
    private readonly string _connectionString;
    private readonly string _clusterId;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _probe;
    private readonly object _gate = new();
    private Process? _process;
    private SiloReaper? _reaper;
    private int _runs;

    /// <param name="name">The silo's name (its <c>POD_NAME</c>, so its name in the membership table).</param>
    /// <param name="environment">Added to (or, with a null value, removed from) the silo's environment: protocol timings as <c>Sessions__Cluster__...</c>, log levels.</param>
    public SiloProcess(string name, string connectionString, string clusterId, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Name = name;
        _connectionString = connectionString;
        _clusterId = clusterId;
        _environment = environment ?? new Dictionary<string, string?>();
        HttpPort = FreePorts.Next();
        SiloPort = FreePorts.Next();
        GatewayPort = FreePorts.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}/");
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) }.Authorize();
        _probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) }.Authorize();
    }

    public string Name { get; }

    /// <summary>The public HTTP API's port (<c>--urls</c>); the same after a restart.</summary>
    public int HttpPort { get; }

    /// <summary>The silo-to-silo port (<c>SESSIONS_SILO_PORT</c>); the same after a restart.</summary>
    public int SiloPort { get; }

    /// <summary>The port Orleans clients connect to (<c>SESSIONS_GATEWAY_PORT</c>); the same after a restart.</summary>
    public int GatewayPort { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client of this silo's HTTP API (30 s timeout), with the tests' admin key. It keeps working across restarts.</summary>
    public HttpClient Http { get; }

    /// <summary>How many times the process was started.</summary>
    public int Runs => _runs;

    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    public int Pid => CurrentProcess().Id;

    /// <summary>Everything the silo wrote, every run, each line stamped with the test's wall clock.</summary>
    public string Output => string.Join('\n', _output);

    public string OutputTail(int lines = 80)
    {
        var all = _output.ToArray();
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>Starts the silo (again, on the same ports, after it exited). Returns at once; see <see cref="WaitReadyAsync"/>.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_process is { HasExited: false })
            {
                throw new InvalidOperationException($"{Name} is already running (pid {_process.Id}).");
            }

            _process?.Dispose();
            _reaper?.Dispose();
            var urls = $"http://127.0.0.1:{HttpPort}";
            var info = new ProcessStartInfo(DotnetHost(), [HostDll(), "--urls", urls])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = false,
                UseShellExecute = false,
                WorkingDirectory = Path.GetTempPath(),
            };

            // Nothing the test runner happens to have set may choose this silo's database, ports or timings.
            foreach (var inherited in info.Environment.Keys.ToList())
            {
                if (inherited.StartsWith("SESSIONS_", StringComparison.OrdinalIgnoreCase)
                    || inherited.StartsWith("Sessions__", StringComparison.OrdinalIgnoreCase)
                    || inherited.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
                    || inherited is "ASPNETCORE_URLS" or "ASPNETCORE_HTTP_PORTS" or "POD_IP" or "POD_NAME")
                {
                    info.Environment.Remove(inherited);
                }
            }

            info.Environment["ConnectionStrings__Sessions"] = _connectionString;
            info.Environment["SESSIONS_CLUSTER_ID"] = _clusterId;
            info.Environment["SESSIONS_SILO_PORT"] = SiloPort.ToString(CultureInfo.InvariantCulture);
            info.Environment["SESSIONS_GATEWAY_PORT"] = GatewayPort.ToString(CultureInfo.InvariantCulture);
            info.Environment["SESSIONS_ADVERTISED_ADDRESS"] = "127.0.0.1";
            info.Environment["POD_NAME"] = Name;
            info.Environment[TestCredentials.AdminKeyVariable] = TestCredentials.AdminKey;
            info.Environment["Logging__LogLevel__Default"] = "Warning";
            info.Environment["Logging__Console__FormatterName"] = "simple";
            info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
            info.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
            foreach (var (name, value) in TestRateLimits.AsEnvironment())
            {
                info.Environment[name] = value;
            }

            foreach (var (name, value) in _environment)
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

            var run = ++_runs;
            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => Record(run, "out", e.Data);
            process.ErrorDataReceived += (_, e) => Record(run, "err", e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;
            _reaper = SiloReaper.Watch(process.Id, urls);
            Record(run, "test", $"started pid {process.Id}: http {HttpPort}, silo {SiloPort}, gateway {GatewayPort}");
        }
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (the silo is Active); fails early, with the output, if the process exits.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var process = CurrentProcess();
        var clock = Stopwatch.StartNew();
        while (!await IsReadyAsync(cancellationToken).ConfigureAwait(false))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before it was ready.\n{OutputTail()}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} (pid {process.Id}) was not ready within {timeout.TotalSeconds:0} s.\n{OutputTail()}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when <c>/readyz</c> answers 200 now.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>A gauge of <c>/metrics</c>, such as <c>sessions_activations</c>.</summary>
    public async Task<long> ReadGaugeAsync(string name, CancellationToken cancellationToken = default)
    {
        var text = await _probe.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == name)
            {
                return long.Parse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{Name}'s /metrics has no gauge {name}:\n{text}");
    }

    /// <summary>kill -9 (<see cref="Process.Kill()"/> sends SIGKILL): no shutdown code runs, as in a crash or an OOM kill. Returns once the process is gone.</summary>
    public void Kill()
    {
        var process = CurrentProcess();
        Record(_runs, "test", $"SIGKILL pid {process.Id}");
        process.Kill(entireProcessTree: false);
        if (!process.WaitForExit(KillTimeout))
        {
            throw new TimeoutException($"{Name} (pid {process.Id}) did not die within {KillTimeout.TotalSeconds:0} s of SIGKILL.");
        }

        EndRun();
    }

    /// <summary>SIGTERM (<c>kill -TERM</c>, as Kubernetes stops a pod) and waits for the exit; returns the exit code.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout)
    {
        var process = CurrentProcess();
        Record(_runs, "test", $"SIGTERM pid {process.Id}");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
            if (kill.ExitCode != 0)
            {
                throw new InvalidOperationException($"kill -TERM {process.Id} failed with {kill.ExitCode}.");
            }
        }

        return await WaitForExitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Waits for the current run to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = CurrentProcess();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} (pid {process.Id}) did not exit within {timeout.TotalSeconds:0} s.\n{OutputTail()}");
        }

        // The parameterless wait also drains the redirected output.
        process.WaitForExit();
        Record(_runs, "test", $"pid {process.Id} exited with {process.ExitCode}");
        EndRun();
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Process? process;
        lock (_gate)
        {
            process = _process;
        }

        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync().WaitAsync(KillTimeout).ConfigureAwait(false);
        }

        lock (_gate)
        {
            _reaper?.Dispose();
            _reaper = null;
            _process?.Dispose();
            _process = null;
        }

        Http.Dispose();
        _probe.Dispose();
    }

    public override string ToString() => $"{Name} (http {HttpPort}, silo {SiloPort}, gateway {GatewayPort})";

    /// <summary>The built host for this assembly's configuration: src/Sessions.Host/bin/&lt;Configuration&gt;/net10.0.</summary>
    public static string HostDll()
    {
        var configuration = typeof(SiloProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(RepositoryRoot(), "src", "Sessions.Host", "bin", configuration, "net10.0", "Sessions.Host.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the gateway first: {path} is missing.", path);
    }

    /// <summary>The folder holding Sessions.Orleans.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sessions.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Sessions.Orleans.sln above {AppContext.BaseDirectory}.");
    }

    private Process CurrentProcess()
    {
        lock (_gate)
        {
            return _process ?? throw new InvalidOperationException($"{Name} was never started.");
        }
    }

    private void EndRun()
    {
        lock (_gate)
        {
            _reaper?.Dispose();
            _reaper = null;
        }
    }

    private void Record(int run, string stream, string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss.fff} {Name}#{run} {stream}] {line}"));
        }
    }

    // The test host itself runs under the dotnet muxer; use the same one.
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
