using Sessions.Embedded;
using Sessions.Testing;

namespace Sessions.Embedded.Tests;

public sealed class DataDirectoryTests : EmbeddedPostgresScratch
{
    [RootFact]
    public async Task A_directory_the_postgres_user_cannot_reach_is_replaced_by_a_stable_one_under_var_tmp()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // Like ./.sessions-data under /root: a parent folder that only root may traverse.
        var locked = Directory.CreateDirectory(Path.Combine(Root, "private"));
        File.SetUnixFileMode(locked.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var requested = Path.Combine(locked.FullName, "data");

        var first = await StartAsync(new EmbeddedPostgresOptions { DataDirectory = requested });
        await ExecuteAsync(first, "create table kept (v int); insert into kept values (1)");
        await first.DisposeAsync();
        var second = await StartAsync(new EmbeddedPostgresOptions { DataDirectory = requested });

        Assert.Equal(DataDirectoryResolver.FallbackFor(requested), second.DataDirectory);
        Assert.StartsWith("/var/tmp/sessions/", second.DataDirectory, StringComparison.Ordinal);
        Assert.Equal(1, await QueryAsync<int>(second, "select v from kept"));
        Assert.False(Directory.Exists(requested)); // nothing is left where the data does not live
        var warnings = Log.Entries.Where(e => e.EventId == EmbeddedPostgresEventIds.DataDirectoryFallback).ToList();
        Assert.Equal(2, warnings.Count); // every start says where the data really is
        var warning = warnings[^1];
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains(requested, warning.Message, StringComparison.Ordinal);
        Assert.Contains(second.DataDirectory, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_directory_is_resolved_against_the_working_directory()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, DataDirectory) + "/";

        var postgres = await StartAsync(new EmbeddedPostgresOptions { DataDirectory = relative });

        Assert.Equal(DataDirectory, postgres.DataDirectory);
    }
}
