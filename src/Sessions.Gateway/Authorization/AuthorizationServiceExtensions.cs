using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Gateway.Authentication;

namespace Sessions.Gateway.Authorization;

/// <summary>
/// Who may use which route. Every endpoint needs an authenticated caller (the fallback policy) unless it allows
/// anonymous ones (<c>/healthz</c>, <c>/readyz</c>); routes narrow it by naming an <see cref="AuthPolicies"/> policy;
/// what a request body names is checked by the handler (<see cref="CallerIdentity"/>). The Authorization
/// table of docs/security.md lists every route.
/// </summary>
public static class AuthorizationServiceExtensions
{
    public static IServiceCollection AddGatewayAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<SessionMembers>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(Authenticated().Build())
            .AddPolicy(AuthPolicies.Admin, Authenticated().RequireRole(Caller.AdminRole).Build())
            .AddPolicy(AuthPolicies.SessionMember, Authenticated().AddRequirements(new SessionMemberRequirement()).Build())
            .AddPolicy(AuthPolicies.Self, Authenticated().AddRequirements(new SelfRequirement(hidden: false)).Build())
            .AddPolicy(AuthPolicies.SelfOrHidden, Authenticated().AddRequirements(new SelfRequirement(hidden: true)).Build())
            .AddPolicy(AuthPolicies.MetricsReader, Authenticated().AddRequirements(new MetricsReaderRequirement()).Build());
        return services;
    }

    private static AuthorizationPolicyBuilder Authenticated() =>
        new AuthorizationPolicyBuilder(BearerAuthenticationHandler.SchemeName).RequireAuthenticatedUser();
}
