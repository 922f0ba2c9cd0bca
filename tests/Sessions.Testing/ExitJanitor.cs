using System.Diagnostics;

namespace Sessions.Testing;

/// <summary>
/// Stops a test server and deletes its folder once this process is gone, however it goes. A ProcessExit handler
/// is not enough: the VSTest runner kills the test host right after the run without waiting for such handlers
/// (microsoft/vstest#1900), and kill -9 runs none. So a detached shell holds the read end of a pipe whose write
/// end only this process has; the kernel closes it when the process dies, the shell reads EOF and cleans up.
/// </summary>
internal static class ExitJanitor
{
    // Runs in a background subshell so it is reparented away from this process (runners kill the host's process
    // tree). Immediate shutdown (SIGQUIT) is enough for data that is about to be deleted.
    private const string Script = """
        exec 3<&0
        (
          cat <&3 >/dev/null
          pid=$(head -n 1 "$1/pgdata/postmaster.pid" 2>/dev/null)
          [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null
          tries=0
          while [ -e "$1/pgdata/postmaster.pid" ] && [ "$tries" -lt 300 ]; do sleep 0.1; tries=$((tries + 1)); done
          rm -rf "$1"
        ) </dev/null >/dev/null 2>&1 &
        """;

    // Holding the processes (and so their stdin writers) keeps the pipes open for the life of this process;
    // disposing one, or letting its writer be collected, would close its pipe and set the janitor off early.
    private static readonly List<Process> Janitors = [];

    public static void CleanUpAfterExit(string dataDirectory)
    {
        var startInfo = new ProcessStartInfo("sh") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", Script, "sessions-test-janitor", dataDirectory })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var shell = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the test server janitor.");
        lock (Janitors)
        {
            Janitors.Add(shell);
        }
    }
}
