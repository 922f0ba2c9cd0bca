namespace Sessions.Embedded.Tests;

/// <summary>Process facts read from /proc (a killed postmaster can linger as a zombie if nobody reaps it).</summary>
public static class OsProcess
{
    public static bool IsGone(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ..."; Z is a zombie, X is dead.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }

    public static int ReadPostmasterPid(string dataDirectory) =>
        int.Parse(File.ReadLines(Path.Combine(dataDirectory, "pgdata", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
}
