using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Sessions.Actors;

/// <summary>Runs the idle collector while the host runs, and deactivates every activation when it stops.</summary>
internal sealed class SiloHostedService(Catalog catalog, IOptions<SiloOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CollectionQuantum);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                catalog.CollectIdleActivations();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; StopAsync deactivates what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await catalog.DeactivateAllAsync(cancellationToken).ConfigureAwait(false);
    }
}
