using System.Diagnostics;
using System.Globalization;

namespace Sessions.Testing.Cluster;

/// <summary>
/// Kills a silo process once this test process is gone, however it goes (the same pipe trick as
/// <see cref="ExitJanitor"/>): a detached shell reads a pipe whose write end only this process holds, and on EOF
/// sends SIGKILL to the silo, if that pid still runs the gateway on the silo's HTTP port (a pid may be reused).
/// Closing the reaper on purpose (the silo ended normally) sets it off at once, harmlessly.
/// </summary>
internal sealed class SiloReaper : IDisposable
{
    private const string Script = """
        exec 3<&0
        (
          cat <&3 >/dev/null
          if tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- "Sessions.Host.dll --urls $2"; then
            kill -KILL "$1" 2>/dev/null
          fi
        ) </dev/null >/dev/null 2>&1 &
        """;

    private readonly Process _shell;

    private SiloReaper(Process shell)
    {
        _shell = shell;
    }

    public static SiloReaper Watch(int pid, string urls)
    {
        var startInfo = new ProcessStartInfo("sh") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", Script, "sessions-silo-reaper", pid.ToString(CultureInfo.InvariantCulture), urls })
        {
            startInfo.ArgumentList.Add(argument);
        }

        return new SiloReaper(Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the silo reaper."));
    }

    public void Dispose()
    {
        _shell.StandardInput.Close();
        _shell.Dispose();
    }
}
