using Sessions.Gateway;
using Sessions.Gateway.Hosting;
using Sessions.Storage.Embedded;

try
{
    await using var gateway = await SessionsGateway.BuildAsync(args);
    await gateway.RunAsync();
    return 0;
}
catch (Exception e) when (e is EmbeddedPostgresException or GatewayStartupException)
{
    // No PostgreSQL installed, its data folder unusable, no admin key: something for the operator to fix, so the
    // message (written to be read on its own) and no stack trace.
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
