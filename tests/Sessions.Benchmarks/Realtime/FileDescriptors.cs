using System.Runtime.InteropServices;

namespace Sessions.Benchmarks.Realtime;

/// <summary>
/// The process's open-file limit (<c>RLIMIT_NOFILE</c>, what <c>ulimit -n</c> shows). Every socket is a file
/// descriptor: the client side of 2 × 10,000 WebSockets lives in this process, and the gateway and the baseline server,
/// started from here, inherit the limit. .NET already lifts the soft limit to the hard one at startup; raising the
/// hard limit needs root (CAP_SYS_RESOURCE).
/// </summary>
internal static partial class FileDescriptors
{
    private const int RlimitNofile = 7; // Linux, every architecture .NET runs on

    /// <summary>Raises the limit to at least <paramref name="wanted"/> if it is lower; returns it before and after.</summary>
    public static (ulong Before, ulong After, string? Problem) EnsureAtLeast(ulong wanted)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, 0, "not Linux: the limit is not checked");
        }

        if (GetRLimit(RlimitNofile, out var limit) != 0)
        {
            return (0, 0, $"getrlimit failed (errno {Marshal.GetLastPInvokeError()})");
        }

        var before = limit.Current;
        if (before >= wanted)
        {
            return (before, before, null);
        }

        var raised = new RLimit { Current = Math.Max(wanted, limit.Current), Maximum = Math.Max(wanted, limit.Maximum) };
        if (SetRLimit(RlimitNofile, in raised) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            // Not root: at least take what the hard limit allows.
            raised = limit with { Current = limit.Maximum };
            _ = SetRLimit(RlimitNofile, in raised);
            return (before, raised.Current, $"setrlimit to {wanted} failed (errno {errno}; raising the hard limit needs root): run 'ulimit -n {wanted}' first");
        }

        return (before, raised.Current, null);
    }

    [StructLayout(LayoutKind.Sequential)]
    private record struct RLimit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);
}
