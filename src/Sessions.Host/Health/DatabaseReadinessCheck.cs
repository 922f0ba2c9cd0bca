using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sessions.Gateway.Hosting;

namespace Sessions.Host.Health;

/// <summary>Ready when a pooled connection runs <c>select 1</c> within two seconds.</summary>
internal sealed class DatabaseReadinessCheck(NpgsqlDataSource dataSource, ILogger<DatabaseReadinessCheck> logger) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(deadline.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            HostLog.DatabaseNotReady(logger, e);
            return HealthCheckResult.Unhealthy("The database did not answer.");
        }
    }
}
