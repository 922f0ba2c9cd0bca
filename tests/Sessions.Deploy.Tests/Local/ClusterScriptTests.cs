using System.Diagnostics;
using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.Local;

public sealed class ClusterScriptTests
{
    private static readonly string Script = Repository.PathOf("deploy", "local", "cluster.sh");

    [Fact]
    public async Task The_script_parses_with_bash_n()
    {
        var info = new ProcessStartInfo("bash", ["-n", Script]) { RedirectStandardError = true, UseShellExecute = false };
        using var bash = Process.Start(info)!;
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();

        Assert.True(bash.ExitCode == 0, $"bash -n {Script} failed:\n{errors}");
    }

    [Fact]
    public void The_script_is_executable()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No execute bit there; the script is for Linux hosts anyway.
        }

        Assert.True((File.GetUnixFileMode(Script) & UnixFileMode.UserExecute) != 0, $"{Script} is not executable (chmod +x)");
    }

    [Fact]
    public void Its_data_folder_is_ignored_by_git()
    {
        var ignored = File.ReadAllLines(Repository.PathOf(".gitignore")).Select(line => line.Trim());

        Assert.Contains("deploy/local/.data/", ignored);
    }
}
