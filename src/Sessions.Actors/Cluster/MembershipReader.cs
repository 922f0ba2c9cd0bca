using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Actors;

/// <summary>A client's view of the cluster: it reads the membership table now and then, and never writes it.</summary>
public sealed partial class MembershipReader(IMembershipTable table, IOptions<ClusterOptions> options, ILogger<MembershipReader> logger)
    : BackgroundService, IClusterMembership
{
    private volatile ClusterView _view = ClusterView.Empty;

    public event Action<ClusterView>? ViewChanged;

    public ClusterView View => _view;

    public SiloAddress? Self => null;

    public bool IsServing => false;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the table now (the client also does this on its own every probe interval).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var snapshot = await table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.Version > _view.Version)
        {
            var view = _view = ClusterView.From(snapshot);
            ViewChanged?.Invoke(view);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ProbeInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRefreshFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the membership table failed; keeping the last view")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
