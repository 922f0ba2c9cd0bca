using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Gateway.Authentication;

/// <summary>
/// Wraps the HTTP server (Kestrel) so that each request has its <c>access_token</c> query parameter moved into a
/// feature (<see cref="QueryAccessToken"/>) before the host creates its context: the host's request logging, its
/// activity and every middleware then see the URL without the token. There is no earlier hook in ASP.NET Core.
/// </summary>
internal sealed class AccessTokenScrubbingServer(IServer inner) : IServer
{
    public IFeatureCollection Features => inner.Features;

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull =>
        inner.StartAsync(new ScrubbingApplication<TContext>(application), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    public void Dispose() => inner.Dispose();

    /// <summary>Replaces the registered server with itself around it (the server must be registered already).</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IServer) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("No HTTP server is registered to wrap.");
        services.Remove(registered);
        if (registered.ImplementationType is { } type)
        {
            // The container builds the server as it would have (same constructor choice), under its own type.
            services.AddSingleton(type);
            services.AddSingleton<IServer>(provider => new AccessTokenScrubbingServer((IServer)provider.GetRequiredService(type)));
        }
        else if (registered.ImplementationFactory is { } factory)
        {
            services.AddSingleton<IServer>(provider => new AccessTokenScrubbingServer((IServer)factory(provider)));
        }
        else
        {
            services.AddSingleton<IServer>(new AccessTokenScrubbingServer((IServer)registered.ImplementationInstance!));
        }
    }

    private sealed class ScrubbingApplication<TContext>(IHttpApplication<TContext> application) : IHttpApplication<TContext>
        where TContext : notnull
    {
        public TContext CreateContext(IFeatureCollection contextFeatures)
        {
            QueryAccessToken.MoveToFeature(contextFeatures);
            return application.CreateContext(contextFeatures);
        }

        public Task ProcessRequestAsync(TContext context) => application.ProcessRequestAsync(context);

        public void DisposeContext(TContext context, Exception? exception) => application.DisposeContext(context, exception);
    }
}
