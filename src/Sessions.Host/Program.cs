using Sessions.Embedded;
using Sessions.Host;

try
{
    await using var host = await SessionsHost.BuildAsync(args);
    await host.RunAsync();
    return 0;
}
catch (Exception e) when (e is EmbeddedPostgresException or HostStartupException)
{
    // No PostgreSQL installed, its data folder unusable, no admin key: something for the operator to fix, so the
    // message (written to be read on its own) and no stack trace.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
