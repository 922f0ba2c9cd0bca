using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Gateway.Authentication;

public static class AuthenticationServiceExtensions
{
    /// <summary>
    /// Bearer authentication (<see cref="BearerAuthenticationHandler"/>) with <paramref name="adminKeys"/>. The
    /// authorization that makes every endpoint require it builds on this and is registered with the gateway's services
    /// (<c>AddGatewayServices</c>): authorization knows authentication, not the other way round.
    /// </summary>
    public static WebApplicationBuilder AddGatewayAuthentication(this WebApplicationBuilder builder, AdminKeys adminKeys)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.IsValid(), $"{AuthOptions.SectionName}: TokenCacheSize, SessionMembersCacheSize and ConnectionCheckInterval must be positive, TokenCacheDuration not negative.")
            .ValidateOnStart();
        services.AddSingleton(adminKeys);
        services.AddSingleton<TokenLookup>();
        services.AddSingleton<ConnectionTokens>();
        services.AddHostedService(provider => provider.GetRequiredService<ConnectionTokens>());
        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<BearerAuthenticationOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        AccessTokenScrubbingServer.Decorate(services);
        return builder;
    }

    public static WebApplication UseGatewayAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        return app;
    }
}
