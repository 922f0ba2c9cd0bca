using System.Globalization;
using Npgsql;

namespace Sessions.Benchmarks;

/// <summary>
/// CPU time of the processes taking part in a run, read from <c>/proc</c> (Linux only; elsewhere every figure is
/// zero): each named process, the PostgreSQL server (its postmaster and every child of it), this process, and
/// how busy the whole machine was. Two samples taken around a load give where its CPU went.
/// </summary>
internal sealed class CpuMeter
{
    public const string PostgresGroup = "postgres";
    public const string SelfGroup = "benchmark";

    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on every mainstream Linux architecture.
    private const double TicksPerSecond = 100;

    private readonly IReadOnlyDictionary<string, int> _processes;
    private readonly int? _postmaster;

    private CpuMeter(IReadOnlyDictionary<string, int> processes, int? postmaster)
    {
        _processes = processes;
        _postmaster = postmaster;
    }

    /// <summary>Whether PostgreSQL's processes are on this machine and counted.</summary>
    public bool SeesPostgres => _postmaster is not null;

    /// <param name="processes">Name → pid of the processes to follow (the silos).</param>
    /// <param name="connectionString">Any database of the server: its postmaster is found as the parent of a backend.</param>
    public static async Task<CpuMeter> CreateAsync(IReadOnlyDictionary<string, int> processes, string connectionString)
    {
        int? postmaster = null;
        if (OperatingSystem.IsLinux())
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select pg_backend_pid()", connection);
            var backend = (int)(await command.ExecuteScalarAsync())!;
            postmaster = ReadStat(backend)?.ParentPid;
        }

        return new CpuMeter(processes, postmaster);
    }

    public CpuSample Sample()
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return new CpuSample(seconds, 0, 0, 0);
        }

        foreach (var (name, pid) in _processes)
        {
            seconds[name] = ReadStat(pid)?.CpuSeconds ?? 0;
        }

        seconds[SelfGroup] = ReadStat(Environment.ProcessId)?.CpuSeconds ?? 0;
        if (_postmaster is { } postmaster)
        {
            double total = 0;
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && ReadStat(pid) is { } stat && (pid == postmaster || stat.ParentPid == postmaster))
                {
                    total += stat.CpuSeconds;
                }
            }

            seconds[PostgresGroup] = total;
        }

        var (busy, softIrq, all) = ReadMachineTicks();
        return new CpuSample(seconds, busy, softIrq, all);
    }

    private static (int ParentPid, double CpuSeconds)? ReadStat(int pid)
    {
        try
        {
            // "pid (comm) state ppid ... utime stime ...": comm may hold spaces and parentheses, so split after the last ')'.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture),
                (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // gone, or not ours to read
        }
    }

    /// <summary>
    /// Busy, softirq and total jiffies of all CPUs since boot (idle and iowait count as not busy). Softirq time is
    /// mostly the kernel's network processing (loopback TCP here) and is charged to no process.
    /// </summary>
    private static (long Busy, long SoftIrq, long All) ReadMachineTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var all = fields.Sum();
        return (all - fields[3] - fields[4], fields[6], all);
    }
}

/// <summary>Cumulative CPU seconds per process group, and the machine's busy, softirq and total jiffies, at one moment.</summary>
internal sealed record CpuSample(IReadOnlyDictionary<string, double> Seconds, long MachineBusy, long MachineSoftIrq, long MachineAll)
{
    /// <summary>What was used between <paramref name="before"/> and this sample.</summary>
    public CpuUsage Since(CpuSample before)
    {
        double all = Math.Max(1, MachineAll - before.MachineAll);
        return new CpuUsage(
            Seconds.ToDictionary(p => p.Key, p => p.Value - before.Seconds.GetValueOrDefault(p.Key), StringComparer.Ordinal),
            (MachineBusy - before.MachineBusy) / all,
            (MachineSoftIrq - before.MachineSoftIrq) / all);
    }
}

/// <summary>
/// CPU seconds per process group over an interval, and the shares of the machine's CPU that were busy and, of that,
/// spent in softirq (network processing charged to no process).
/// </summary>
internal sealed record CpuUsage(IReadOnlyDictionary<string, double> Seconds, double MachineBusy, double MachineSoftIrq)
{
    public double Of(Func<string, bool> group) => Seconds.Where(p => group(p.Key)).Sum(p => p.Value);
}
