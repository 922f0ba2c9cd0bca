using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Health;

/// <summary>
/// <c>/healthz</c>: the process is up and serving (liveness; it checks nothing else, so a database outage does not
/// get the pod restarted). <c>/readyz</c>: the database answers and the silo has started and is not stopping;
/// when not, a 503 problem+json whose <c>checks</c> extension says which part is down.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag of the checks <c>/readyz</c> runs; the host registers them (the database, the silo).</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddGatewayHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks();
        return services;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        // The only routes open without a token: probes (kubelet, load balancers) carry none.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).WithTags("Health").AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadinessAsync,
        }).WithTags("Health").AllowAnonymous();
        return app;
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Unhealthy)
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(report.Status.ToString());
        }

        var checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant());
        return ApiProblems.Of(
            ProblemCodes.NotReady,
            $"Not ready: {string.Join(", ", checks.Where(c => c.Value != "healthy").Select(c => c.Key))}.",
            new Dictionary<string, object?> { ["checks"] = checks }).ExecuteAsync(context);
    }
}
