using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Hosting;
using Sessions.Host.Credentials;
using Sessions.Host.Database;
using Sessions.Host.Health;
using Sessions.Host.Silo;
using Sessions.Storage;
using Sessions.Storage.Migrations;

namespace Sessions.Host;

/// <summary>
/// Composes the process: one place that both <c>Program</c> and the tests call, so the host under test is the host
/// that ships. Building resolves the database first (configured, or a private embedded server) and the admin keys
/// (configured, or the embedded server's generated one), then registers the stores, the Orleans silo with the chat
/// grains and the HTTP gateway, builds the app, maps the gateway's routes and applies the schema migrations (the
/// Orleans provider tables among them), all before the silo starts or anything is served.
/// </summary>
public static class SessionsHost
{
    /// <summary>Where the gateway listens when neither <c>--urls</c> nor any other endpoint setting says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <param name="args">Command-line arguments (for example <c>--urls</c>).</param>
    /// <param name="configure">Runs after the defaults and before anything is resolved: tests add configuration here.</param>
    public static async Task<HostApp> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(SessionsHost).Assembly.GetName().Name,
            // appsettings.json ships next to the binaries; the working directory is only where data goes by default.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        // --urls (or ASPNETCORE_URLS, or Kestrel:Endpoints) when given; else loopback only, on the documented port.
        var publicUrls = builder.Configuration["urls"] is { Length: > 0 } urls ? urls
            : builder.Configuration.GetSection("Kestrel:Endpoints").Exists() ? null
            : DefaultUrl;
        if (publicUrls == DefaultUrl)
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // The app's own logging exists only once it is built, but the database must be known before that:
        // start-up logs (and the embedded server, for its whole life) use a logger configured the same way.
        var bootstrapLogging = LoggerFactory.Create(logging => logging
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddSimpleConsole());
        var logger = bootstrapLogging.CreateLogger("Sessions.Host");
        HostDatabase? database = null;
        WebApplication? app = null;
        try
        {
            database = await HostDatabase.OpenAsync(builder.Configuration, logger, ct).ConfigureAwait(false);
            var adminKeys = AdminKeySource.Resolve(builder.Configuration, database.Embedded, logger);
            builder.Services.AddSessionsStorage(database.ConnectionString);
            builder.UseOrleans(silo => silo.UseSessionsSilo(builder.Configuration, database.ConnectionString));
            builder.Services.AddSiloHealthChecks();
            builder.Services.AddShutdownDrain();
            builder.AddGatewayServices();
            builder.AddGatewayAuthentication(adminKeys);
            app = builder.Build();
            app.UseGatewayPipeline();
            await MigrationRunner.ApplyAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), logger, ct).ConfigureAwait(false);
            return new HostApp(app, database, bootstrapLogging, publicUrls);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            if (database is not null)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }

            bootstrapLogging.Dispose();
            throw;
        }
    }
}
