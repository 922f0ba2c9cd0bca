using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Actors;

/// <summary>
/// The activations living on this silo, keyed by grain id. It creates an activation on the first call to a grain,
/// hands calls to it, and removes it when it deactivates. It is also the single-silo call router.
/// </summary>
internal sealed partial class Catalog : IGrainCallRouter
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();
    private readonly Dictionary<string, GrainClass> _classes;
    private readonly IServiceProvider _services;
    private readonly ILogger<Catalog> _logger;
    private volatile bool _stopping;

    public Catalog(
        GrainInterfaceRegistry interfaces,
        IEnumerable<GrainClassRegistration> registrations,
        IServiceProvider services,
        IOptions<SiloOptions> options,
        ILogger<Catalog> logger)
    {
        _classes = registrations.ToDictionary(
            r => r.InterfaceType.FullName!,
            r => new GrainClass(r.InterfaceType, r.ClassType, interfaces.Get(r.InterfaceType)));
        Interfaces = interfaces;
        _services = services;
        _logger = logger;
        Options = options.Value;
    }

    public SiloOptions Options { get; }

    public GrainInterfaceRegistry Interfaces { get; }

    public IGrainFactory GrainFactory => _services.GetRequiredService<IGrainFactory>();

    /// <summary>
    /// Set by a cluster router: given a call queued on an activation that is going away, sends it to the grain's new
    /// owner and returns the answer, or returns null when the grain stays on this silo.
    /// </summary>
    internal Func<GrainCall, Task<GrainResponse>?>? Reroute { get; set; }

    /// <summary>
    /// Set by a cluster router: rereads the membership and tells whether this silo owns the grain. Without one
    /// (a single silo) every grain is placed here.
    /// </summary>
    internal Func<GrainId, Task<bool>>? PlacementCheck { get; set; }

    /// <summary>How many activations are alive now.</summary>
    public int ActivationCount => _activations.Count;

    public Task<GrainResponse> SendAsync(GrainCall call, CancellationToken cancellationToken)
    {
        if (!_classes.TryGetValue(call.GrainType, out var grainClass))
        {
            return Task.FromResult(RuntimeErrors.Failure(RuntimeErrors.UnknownGrainType, $"No grain class implements {call.GrainType} on this silo."));
        }

        if (!grainClass.Interface.Methods.TryGetValue(call.Method, out var method))
        {
            return Task.FromResult(RuntimeErrors.Failure(RuntimeErrors.UnknownMethod, $"{call.GrainType} has no method {call.Method}."));
        }

        var item = new CallWorkItem(call, method);
        Dispatch(item);
        return item.Completion.Task;
    }

    /// <summary>Queues an item on the grain's activation, creating one if needed and retrying past one that is closing.</summary>
    internal void Dispatch(CallWorkItem item)
    {
        var grainId = item.Call.GrainId;
        while (true)
        {
            if (_stopping)
            {
                item.Completion.TrySetResult(RuntimeErrors.Failure(RuntimeErrors.SiloUnavailable, "The silo is shutting down."));
                return;
            }

            if (!_activations.TryGetValue(grainId, out var activation))
            {
                var created = new GrainActivation(grainId, _classes[grainId.Type], this, _logger);
                if (!_activations.TryAdd(grainId, created))
                {
                    continue;
                }

                created.Start();
                activation = created;
            }

            if (activation.TryPost(item))
            {
                return;
            }

            // The activation closed its mailbox between lookup and post; it leaves the dictionary right before
            // closing, so yielding once lets the next lookup find it gone.
            Thread.Yield();
        }
    }

    /// <summary>Hands a call that was queued on a closing activation to the grain's owner: a fresh activation here, or another silo.</summary>
    internal void Redispatch(CallWorkItem item)
    {
        if (!TryReroute(item))
        {
            Dispatch(item);
        }
    }

    /// <summary>Sends the call to another silo when this one no longer owns its grain; false when it stays here.</summary>
    internal bool TryReroute(CallWorkItem item)
    {
        if (Reroute?.Invoke(item.Call) is { } elsewhere)
        {
            elsewhere.ContinueWith(
                (answer, state) => ((CallWorkItem)state!).Completion.TrySetResult(answer.IsCompletedSuccessfully
                    ? answer.Result
                    : new GrainResponse(null, GrainError.From(answer.Exception?.InnerException ?? new TaskCanceledException()))),
                item,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return true;
        }

        return false;
    }

    /// <summary>Deactivates every activation whose grain matches <paramref name="moved"/>; returns how many.</summary>
    public int DeactivateWhere(Func<GrainId, bool> moved, DeactivationReasonCode reason)
    {
        var count = 0;
        foreach (var activation in _activations.Values)
        {
            if (moved(activation.GrainId))
            {
                activation.Deactivate(new DeactivationReason(reason, "The grain's owner changed."));
                count++;
            }
        }

        return count;
    }

    internal Grain CreateGrainInstance(GrainClass grainClass) =>
        (Grain)ActivatorUtilities.CreateInstance(_services, grainClass.ClassType);

    internal void Remove(GrainActivation activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.GrainId, activation));

    /// <summary>Asks every activation idle for longer than the collection age to deactivate.</summary>
    public int CollectIdleActivations()
    {
        var collected = 0;
        foreach (var activation in _activations.Values)
        {
            if (activation.IsIdleFor(Options.CollectionAge))
            {
                activation.Deactivate(new DeactivationReason(DeactivationReasonCode.IdleCollection, $"Idle for {Options.CollectionAge}."));
                collected++;
            }
        }

        return collected;
    }

    /// <summary>Stops taking calls and deactivates every activation, waiting for each to finish its turn.</summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var activations = _activations.Values.ToList();
        LogShuttingDown(_logger, activations.Count);
        foreach (var activation in activations)
        {
            activation.Deactivate(new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is shutting down."));
        }

        await Task.WhenAll(activations.Select(a => a.Completion)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo shutting down: deactivating {Count} activations")]
    private static partial void LogShuttingDown(ILogger logger, int count);
}
