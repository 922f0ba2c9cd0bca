using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace Sessions.Host.Health;

/// <summary>
/// Ready only while this silo is Active in the cluster's membership and the host is not stopping: a joining silo
/// takes no grains yet, and a leaving one is deactivating its grains (Kubernetes then stops sending it traffic).
/// </summary>
internal sealed class SiloReadinessCheck(
    IHostApplicationLifetime lifetime, IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The silo is not running."));
        }

        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"The silo is {status}, not Active."));
    }
}
