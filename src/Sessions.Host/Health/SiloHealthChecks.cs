using Microsoft.Extensions.DependencyInjection;
using Sessions.Gateway.Health;

namespace Sessions.Host.Health;

internal static class SiloHealthChecks
{
    /// <summary>
    /// What <c>/readyz</c> (mapped by the gateway) asks of this process: the database answers, and the silo is Active and
    /// not stopping. Both need the silo's and the storage's services, which only the host has.
    /// </summary>
    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReadinessCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<SiloReadinessCheck>("silo", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }
}
