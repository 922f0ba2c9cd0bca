using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Actors;

/// <summary>
/// This silo's part in the membership protocol (the Orleans scheme, over <see cref="IMembershipTable"/>).
///
/// Joining: once the silo endpoint listens, the silo adds its row as Joining, probes every live peer (a peer that
/// cannot be reached gets this silo's suspicion vote at once, so a restart after a crash clears its dead
/// predecessor quickly), then moves itself to Active. Running: every <see cref="ClusterOptions.ProbeInterval"/> it
/// rereads the table, probes every live peer directly, and heartbeats; a peer that misses
/// <see cref="ClusterOptions.MissedProbesLimit"/> probes in a row gets a suspicion vote, and enough votes declare it Dead
/// (each vote a compare-and-swap on the table version). Leaving: ShuttingDown first, so peers stop placing grains
/// here while this silo keeps forwarding for <see cref="ClusterOptions.LeaveDrainDelay"/>; then the catalog hands its
/// activations over; finally Dead. A silo that reads that its peers declared it Dead stops serving and stops the host.
/// </summary>
public sealed partial class MembershipService : IClusterMembership, IHostedLifecycleService, IDisposable
{
    private readonly IMembershipTable _table;
    private readonly SiloTransport _transport;
    private readonly SiloEndpoint _endpoint;
    private readonly LocalSilo _localSilo;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ClusterOptions _options;
    private readonly ILogger<MembershipService> _logger;
    private readonly Dictionary<SiloAddress, int> _missedProbes = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _viewLock = new(1, 1);
    private Task _loop = Task.CompletedTask;
    private volatile ClusterView _view = ClusterView.Empty;
    private volatile bool _serving;
    private bool _leaving;

    public MembershipService(
        IMembershipTable table,
        SiloTransport transport,
        SiloEndpoint endpoint,
        LocalSilo localSilo,
        IHostApplicationLifetime lifetime,
        IOptions<ClusterOptions> options,
        ILogger<MembershipService> logger)
    {
        _table = table;
        _transport = transport;
        _endpoint = endpoint;
        _localSilo = localSilo;
        _lifetime = lifetime;
        _options = options.Value;
        _logger = logger;
    }

    public event Action<ClusterView>? ViewChanged;

    public ClusterView View => _view;

    public SiloAddress? Self { get; private set; }

    public bool IsServing => _serving;

    /// <summary>This silo's status as last written or read.</summary>
    public SiloStatus? Status => Self is { } self ? _view.StatusOf(self) : null;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Joins once every hosted service has started, so the silo endpoint is listening and its port known.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var self = new SiloAddress(_options.AdvertisedHost, _endpoint.BoundPort, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Self = self;
        _localSilo.Name = self.ToString();
        var now = DateTimeOffset.UtcNow;
        await ChangeOwnRowAsync(snapshot => snapshot.Entries.Any(e => e.Address == self)
            ? null
            : new MembershipEntry(self, _options.SiloName, SiloStatus.Joining, now, now, []), insert: true, cancellationToken).ConfigureAwait(false);
        _serving = true;
        LogJoining(_logger, self, _options.SiloName);

        await ProbeAllAsync(onJoin: true, cancellationToken).ConfigureAwait(false);
        await SetOwnStatusAsync(SiloStatus.Active, cancellationToken).ConfigureAwait(false);
        LogActive(_logger, self, _view.ActiveSilos.Length);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Announces ShuttingDown and keeps forwarding while peers notice; the catalog hands activations over next.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (Self is null || !_serving)
        {
            return;
        }

        _leaving = true;
        if (!await TryLeaveStepAsync(SiloStatus.ShuttingDown, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        LogLeaving(_logger, Self.Value);
        if (!_view.ActiveSilos.IsEmpty)
        {
            // Peers take a probe interval or two to reread the table; until then some still send calls here.
            await Task.Delay(_options.LeaveDrainDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the catalog and the endpoints stopped: the silo is gone for good.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (Self is { } self && _serving && await TryLeaveStepAsync(SiloStatus.Dead, cancellationToken).ConfigureAwait(false))
        {
            LogLeft(_logger, self);
        }

        _serving = false;
    }

    /// <summary>
    /// Leaving is best effort: a silo that cannot write its new status (the database is gone) still stops, and its
    /// peers find it dead by probing.
    /// </summary>
    private async Task<bool> TryLeaveStepAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await SetOwnStatusAsync(status, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLeaveStepFailed(_logger, e, status);
            return false;
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _viewLock.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ProbeInterval);
        var round = 0L;
        while (await WaitAsync(timer, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                if (!_serving)
                {
                    return;
                }

                await ProbeAllAsync(onJoin: false, cancellationToken).ConfigureAwait(false);
                if (round % 5 == 0)
                {
                    await _table.UpdateIAmAliveAsync(Self!.Value, cancellationToken).ConfigureAwait(false);
                }

                if (round % 600 == 599)
                {
                    await _table.DeleteDeadAsync(_options.DeadSiloRetention, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database or a peer hiccuped; the next round tries again.
                LogRoundFailed(_logger, e);
            }

            round++;
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Rereads the table; notices when peers declared this silo Dead.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        await ApplyAsync(snapshot).ConfigureAwait(false);
        if (Self is { } self && !_leaving && _view.StatusOf(self) is SiloStatus.Dead or null)
        {
            _serving = false;
            LogDeclaredDead(_logger, self);
            _lifetime.StopApplication();
        }
    }

    private async Task ProbeAllAsync(bool onJoin, CancellationToken cancellationToken)
    {
        var peers = _view.Entries
            .Where(e => e.Address != Self && e.Status is SiloStatus.Joining or SiloStatus.Active or SiloStatus.ShuttingDown)
            .Select(e => e.Address)
            .ToList();
        var results = await Task.WhenAll(peers.Select(async peer => (Peer: peer, Alive: await ProbeAsync(peer, onJoin, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var (peer, alive) in results)
        {
            var missed = alive ? 0 : _missedProbes.GetValueOrDefault(peer) + (onJoin ? _options.MissedProbesLimit : 1);
            _missedProbes[peer] = missed;
            if (missed >= _options.MissedProbesLimit)
            {
                await SuspectAsync(peer, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var gone in _missedProbes.Keys.Except(peers).ToList())
        {
            _missedProbes.Remove(gone);
        }
    }

    /// <summary>One probe; on join, a few quick tries, so a peer is not condemned for one lost packet.</summary>
    private async Task<bool> ProbeAsync(SiloAddress peer, bool onJoin, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await _transport.PingAsync(peer, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (!onJoin || attempt >= _options.MissedProbesLimit)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Adds this silo's vote against <paramref name="peer"/>, and declares it Dead when enough live silos agree. Only
    /// silos this one can still reach count as voters, so a cluster that lost several silos at once still converges.
    /// </summary>
    private async Task SuspectAsync(SiloAddress peer, CancellationToken cancellationToken)
    {
        var self = Self!.Value;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            var row = snapshot.Entries.FirstOrDefault(e => e.Address == peer);
            if (row is null || row.Status == SiloStatus.Dead)
            {
                await ApplyAsync(snapshot).ConfigureAwait(false);
                return;
            }

            var votes = row.Suspicions
                .Where(s => s.Suspecter != self && snapshot.ReadAt - s.At < _options.SuspicionExpiry)
                .Append(new SiloSuspicion(self, snapshot.ReadAt))
                .ToList();
            var voters = snapshot.Entries.Count(e =>
                e.Address != peer
                && e.Status is SiloStatus.Joining or SiloStatus.Active or SiloStatus.ShuttingDown
                && (e.Address == self || _missedProbes.GetValueOrDefault(e.Address) < _options.MissedProbesLimit));
            var needed = Math.Clamp(_options.VotesForDeath, 1, Math.Max(1, voters));
            var dead = votes.Select(v => v.Suspecter).Distinct().Count() >= needed;
            if (await _table.TryUpdateAsync(row with { Suspicions = votes, Status = dead ? SiloStatus.Dead : row.Status }, snapshot.Version, cancellationToken).ConfigureAwait(false))
            {
                if (dead)
                {
                    LogPeerDeclaredDead(_logger, peer, votes.Count);
                }
                else
                {
                    LogPeerSuspected(_logger, peer, votes.Count, needed);
                }

                await RefreshAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    private Task SetOwnStatusAsync(SiloStatus status, CancellationToken cancellationToken) =>
        ChangeOwnRowAsync(snapshot => snapshot.Entries.FirstOrDefault(e => e.Address == Self) is { } row && row.Status != status && row.Status != SiloStatus.Dead
            ? row with { Status = status }
            : null, insert: false, cancellationToken);

    /// <summary>Compare-and-swap loop on the table version: reread and retry until the change lands or is moot.</summary>
    private async Task ChangeOwnRowAsync(Func<MembershipSnapshot, MembershipEntry?> change, bool insert, CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            if (change(snapshot) is not { } entry)
            {
                await ApplyAsync(snapshot).ConfigureAwait(false);
                return;
            }

            var written = insert
                ? await _table.TryInsertAsync(entry, snapshot.Version, cancellationToken).ConfigureAwait(false)
                : await _table.TryUpdateAsync(entry, snapshot.Version, cancellationToken).ConfigureAwait(false);
            if (written)
            {
                await ApplyAsync(await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>Adopts a snapshot if it is newer than the current view, and tells subscribers.</summary>
    private async Task ApplyAsync(MembershipSnapshot snapshot)
    {
        ClusterView? changed = null;
        await _viewLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (snapshot.Version > _view.Version)
            {
                _view = changed = ClusterView.From(snapshot);
            }
        }
        finally
        {
            _viewLock.Release();
        }

        if (changed is not null)
        {
            LogViewChanged(_logger, changed.Version, string.Join(", ", changed.ActiveSilos));
            ViewChanged?.Invoke(changed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} ({Name}) joining the cluster")]
    private static partial void LogJoining(ILogger logger, SiloAddress silo, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} is Active; {Count} active silos")]
    private static partial void LogActive(ILogger logger, SiloAddress silo, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} is leaving the cluster")]
    private static partial void LogLeaving(ILogger logger, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} left the cluster")]
    private static partial void LogLeft(ILogger logger, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Silo {Silo} was declared Dead by its peers; it stops serving")]
    private static partial void LogDeclaredDead(ILogger logger, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Peer} declared Dead ({Votes} votes)")]
    private static partial void LogPeerDeclaredDead(ILogger logger, SiloAddress peer, int votes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Peer} suspected ({Votes} of {Needed} votes)")]
    private static partial void LogPeerSuspected(ILogger logger, SiloAddress peer, int votes, int needed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Membership view {Version}: active silos {Silos}")]
    private static partial void LogViewChanged(ILogger logger, long version, string silos);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark this silo {Status} while leaving; peers will find it gone by probing")]
    private static partial void LogLeaveStepFailed(ILogger logger, Exception exception, SiloStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership round failed; retrying next round")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
