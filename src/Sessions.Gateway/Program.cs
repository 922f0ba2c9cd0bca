using Sessions.Gateway;
using Sessions.Storage.Embedded;

try
{
    await using var gateway = await SessionsGateway.BuildAsync(args);
    await gateway.RunAsync();
    return 0;
}
catch (EmbeddedPostgresException e)
{
    // No PostgreSQL installed, or its data folder unusable: something for the operator to fix, so the message
    // (written to be read on its own) and no stack trace.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
