using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Sessions.Actors;

namespace Sessions.Gateway.Health;

/// <summary>
/// Ready only while this silo is Active in the cluster's membership table and the host is not stopping: a joining
/// silo owns no grains yet, and a leaving one is handing its grains over (Kubernetes then stops sending it traffic).
/// </summary>
internal sealed class SiloReadinessCheck(IHostApplicationLifetime lifetime, MembershipService membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            !lifetime.ApplicationStarted.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested
                ? HealthCheckResult.Unhealthy("The silo is not running.")
                : membership.Status == SiloStatus.Active
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"The silo is {membership.Status?.ToString() ?? "not a member"}, not Active."));
}
