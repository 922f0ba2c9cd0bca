using System.Globalization;

namespace Sessions.Benchmarks.Dispatch;

/// <summary>
/// CPU seconds spent by the gateway process and by all PostgreSQL processes (the postmaster and its backends) while
/// some work runs, read from Linux's /proc (utime + stime in clock ticks). A backend that exits during the work takes
/// its ticks with it, so PostgreSQL's figure is a floor; the benchmark's connections are pooled and outlive a round.
/// </summary>
internal sealed class CpuMeter(int gatewayPid)
{
    /// <summary>A meter that measures nothing (zeros), for rounds that are not about the gateway.</summary>
    public static readonly CpuMeter None = new(-1);

    // USER_HZ: 100 on every Linux this runs on (the kernel's ABI fixes what /proc reports, whatever its own HZ).
    private const double TicksPerSecond = 100;

    public async Task<(double Gateway, double Database)> MeasureAsync(Func<Task> work)
    {
        var before = Read();
        await work();
        var after = Read();
        return ((after.Gateway - before.Gateway) / TicksPerSecond, (after.Database - before.Database) / TicksPerSecond);
    }

    private (long Gateway, long Database) Read()
    {
        if (gatewayPid < 0 || !OperatingSystem.IsLinux())
        {
            return (0, 0);
        }

        long gateway = 0, database = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // "pid (comm) state ppid ...": comm may hold spaces, so fields are counted from the last ')'.
            var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            if (pid == gatewayPid)
            {
                gateway += ticks;
            }
            else if (name.StartsWith("postgres", StringComparison.Ordinal))
            {
                database += ticks;
            }
        }

        return (gateway, database);
    }
}
