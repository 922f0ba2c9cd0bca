using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Gateway.Authentication;

/// <summary>The policies routes ask for by name.</summary>
public static class AuthPolicies
{
    /// <summary>Admin keys only: <c>/api/agents</c> and below (webhooks, their secrets and deliveries) and participant tokens.</summary>
    public const string Admin = "admin";
}

public static class AuthenticationServiceExtensions
{
    /// <summary>
    /// Bearer authentication (<see cref="BearerAuthenticationHandler"/>) with <paramref name="adminKeys"/>, and the
    /// authorization that makes every endpoint require it, unless it allows anonymous callers (<c>/healthz</c>,
    /// <c>/readyz</c>); <see cref="AuthPolicies.Admin"/> for the admin-only routes.
    /// </summary>
    public static WebApplicationBuilder AddGatewayAuthentication(this WebApplicationBuilder builder, AdminKeys adminKeys)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.IsValid(), $"{AuthOptions.SectionName}: TokenCacheSize and ConnectionCheckInterval must be positive, TokenCacheDuration not negative.")
            .ValidateOnStart();
        services.AddSingleton(adminKeys);
        services.AddSingleton<TokenLookup>();
        services.AddSingleton<ConnectionTokens>();
        services.AddHostedService(provider => provider.GetRequiredService<ConnectionTokens>());
        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<BearerAuthenticationOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(BearerAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .AddPolicy(AuthPolicies.Admin, policy => policy
                .AddAuthenticationSchemes(BearerAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireRole(Caller.AdminRole));
        AccessTokenScrubbingServer.Decorate(services);
        return builder;
    }

    public static WebApplication UseGatewayAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
