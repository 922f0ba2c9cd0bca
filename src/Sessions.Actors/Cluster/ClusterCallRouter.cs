using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Actors;

/// <summary>
/// Routes each grain call to its owner: the silo rendezvous hashing picks among the Active silos of this process's
/// view. A call owned here runs in the local catalog; any other is sent to its owner.
///
/// Failures: a silo that refuses the connection is left out of placement by this process for a short quarantine and
/// the call goes to the next owner at once — the call was never delivered, so this is safe — without waiting for
/// the membership protocol to declare the silo Dead. A silo that answers silo-unavailable (stopping, or a restarted
/// process at the same address) is handled the same way. A call whose connection broke after sending is not retried:
/// its outcome is unknown (<see cref="RuntimeErrors.CallInterrupted"/>).
///
/// Receiving: a call that reaches a silo which is not the owner by its own view is forwarded, at most
/// <see cref="ClusterOptions.MaxForwardHops"/> times, and then runs where it is: views that disagree cost a hop,
/// never correctness, which the database guarantees.
/// </summary>
public sealed partial class ClusterCallRouter : IGrainCallRouter
{
    private const int MaxAttempts = 8;

    /// <summary>Ownership checks reread the membership table at most this often, however many grains ask.</summary>
    private static readonly TimeSpan MembershipRereadSpacing = TimeSpan.FromMilliseconds(250);
    private readonly Catalog? _catalog;
    private readonly SiloTransport _transport;
    private readonly IClusterMembership _membership;
    private readonly ObserverRegistry _observers;
    private readonly ClusterOptions _options;
    private readonly ILogger<ClusterCallRouter> _logger;
    private readonly ConcurrentDictionary<SiloAddress, long> _quarantine = new();
    private readonly Lock _rereadLock = new();
    private Task _reread = Task.CompletedTask;
    private long _rereadDoneAt = long.MinValue / 2;

    internal ClusterCallRouter(
        Catalog? catalog,
        SiloTransport transport,
        IClusterMembership membership,
        ObserverRegistry observers,
        IOptions<ClusterOptions> options,
        ILogger<ClusterCallRouter> logger)
    {
        _catalog = catalog;
        _transport = transport;
        _membership = membership;
        _observers = observers;
        _options = options.Value;
        _logger = logger;
        if (catalog is not null)
        {
            catalog.Reroute = RerouteIfNotOwner;
            catalog.PlacementCheck = IsPlacedHereAsync;
            membership.ViewChanged += HandOverActivations;
        }
    }

    public Task<GrainResponse> SendAsync(GrainCall call, CancellationToken cancellationToken) => RouteAsync(call, hops: 0, cancellationToken);

    /// <summary>A call that arrived over the wire.</summary>
    internal Task<GrainResponse> ReceiveAsync(GrainCall call, int hops, long generation, CancellationToken cancellationToken)
    {
        if (_membership.Self is not { } self || generation != self.Generation || !_membership.IsServing)
        {
            return Task.FromResult(RuntimeErrors.Failure(RuntimeErrors.SiloUnavailable, "This silo is not the one the call was meant for, or it is not serving."));
        }

        if (ObserverRegistry.IsObserverCall(call))
        {
            return _observers.InvokeAsync(call);
        }

        var owner = PickOwner(call.GrainId);
        return owner is null || owner == self || hops >= _options.MaxForwardHops
            ? RunLocallyAsync(call, cancellationToken)
            : RouteAsync(call, hops + 1, cancellationToken);
    }

    private async Task<GrainResponse> RouteAsync(GrainCall call, int hops, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var owner = PickOwner(call.GrainId);
            if (owner is null || owner == _membership.Self)
            {
                if (_catalog is not null)
                {
                    return await RunLocallyAsync(call, cancellationToken).ConfigureAwait(false);
                }

                if (attempt >= MaxAttempts)
                {
                    return RuntimeErrors.Failure(RuntimeErrors.SiloUnavailable, "No silo of the cluster is active.");
                }

                await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                var response = await _transport.SendAsync(owner.Value, call, hops, cancellationToken).ConfigureAwait(false);
                if (response.Error?.Code != RuntimeErrors.SiloUnavailable || attempt >= MaxAttempts)
                {
                    return response;
                }

                Quarantine(owner.Value, "it is not serving");
            }
            catch (SiloUnreachableException e) when (attempt < MaxAttempts)
            {
                Quarantine(owner.Value, e.InnerException?.Message ?? e.Message);
            }
            catch (SiloUnreachableException e)
            {
                return RuntimeErrors.Failure(RuntimeErrors.SiloUnavailable, e.Message);
            }

            await BackOffAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<GrainResponse> RunLocallyAsync(GrainCall call, CancellationToken cancellationToken) =>
        _catalog?.SendAsync(call, cancellationToken)
        ?? Task.FromResult(RuntimeErrors.Failure(RuntimeErrors.SiloUnavailable, "A client hosts no grains."));

    /// <summary>The owner among the Active silos this process can reach (all of them, if it can reach none).</summary>
    private SiloAddress? PickOwner(GrainId grain)
    {
        var active = _membership.View.ActiveSilos;
        if (_quarantine.IsEmpty)
        {
            return RendezvousPlacement.Owner(grain, active);
        }

        var now = Environment.TickCount64;
        var reachable = active.Where(s => !_quarantine.TryGetValue(s, out var until) || until < now).ToList();
        return RendezvousPlacement.Owner(grain, reachable.Count > 0 ? reachable : active);
    }

    private void Quarantine(SiloAddress silo, string reason)
    {
        _quarantine[silo] = Environment.TickCount64 + (long)_options.UnreachableSiloQuarantine.TotalMilliseconds;
        LogQuarantined(_logger, silo, reason);
    }

    private static Task BackOffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, 25 * (1 << Math.Min(attempt, 5)))), cancellationToken);

    /// <summary>Calls queued on an activation that is handing over go to the grain's new owner.</summary>
    private Task<GrainResponse>? RerouteIfNotOwner(GrainCall call)
    {
        var owner = PickOwner(call.GrainId);
        return owner is null || owner == _membership.Self ? null : RouteAsync(call, hops: 0, CancellationToken.None);
    }

    /// <summary>
    /// Whether this silo owns the grain once the membership has been reread (the reread may itself hand the grain
    /// over). A grain asks after losing a write race, which means another silo runs it too: one of the two views is
    /// stale, and rereading is how this silo finds out if it is this one. If the table cannot be read the answer is
    /// the current view.
    /// </summary>
    private async Task<bool> IsPlacedHereAsync(GrainId grain)
    {
        await RereadMembershipAsync().ConfigureAwait(false);
        return PickOwner(grain) is not { } owner || owner == _membership.Self;
    }

    /// <summary>Joins the reread in flight, or starts one unless the last ended moments ago.</summary>
    private Task RereadMembershipAsync()
    {
        lock (_rereadLock)
        {
            if (!_reread.IsCompleted || Environment.TickCount64 - Volatile.Read(ref _rereadDoneAt) < MembershipRereadSpacing.TotalMilliseconds)
            {
                return _reread;
            }

            return _reread = Task.Run(async () =>
            {
                try
                {
                    await _membership.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    LogRereadFailed(_logger, e);
                }
                finally
                {
                    Volatile.Write(ref _rereadDoneAt, Environment.TickCount64);
                }
            });
        }
    }

    /// <summary>When the view changes, activations of grains now owned elsewhere finish their turn and deactivate.</summary>
    private void HandOverActivations(ClusterView view)
    {
        _quarantine.Clear();
        var moved = _catalog!.DeactivateWhere(grain => PickOwner(grain) is { } owner && owner != _membership.Self, DeactivationReasonCode.PlacementChanged);
        if (moved > 0)
        {
            LogHandOver(_logger, moved, view.Version);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} left out of placement for a while: {Reason}")]
    private static partial void LogQuarantined(ILogger logger, SiloAddress silo, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rereading the membership to check a grain's owner failed; keeping the current view")]
    private static partial void LogRereadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handing over {Count} activations after membership view {Version}")]
    private static partial void LogHandOver(ILogger logger, int count, long version);
}
