using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Sessions.Actors;

/// <summary>
/// One live instance of a grain and its mailbox.
///
/// Scheduling: calls queue in the mailbox and run one turn at a time, in arrival order; a turn is the whole
/// call, awaits included, so grain code never sees two calls at once. Calls that arrive while
/// <see cref="Grain.OnActivateAsync"/> runs simply wait in the mailbox. Grains that opt into interleaving
/// (<see cref="ReentrantAttribute"/>, <see cref="AlwaysInterleaveAttribute"/>, <see cref="ReadOnlyAttribute"/>)
/// get a second loop that may start the next call while others are awaiting.
///
/// Deactivation is itself a mailbox item, so it runs between turns. Once the grain's
/// <see cref="Grain.OnDeactivateAsync"/> has finished, the activation leaves the catalog, closes its mailbox and
/// hands every call still queued back to the catalog, which starts a fresh activation for them: no call is lost.
/// </summary>
internal sealed partial class GrainActivation : IGrainContext
{
    // Synchronous continuations: when the loop is waiting for work, the caller that posts runs the turn on its own
    // thread up to the turn's first await. A turn that needs no I/O (a tail read from the cache) then completes
    // before the caller even awaits it: no thread hop either way. The answer itself completes asynchronously, so a
    // caller that did have to wait never runs on the activation's loop.
    private readonly Channel<WorkItem> _mailbox = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = false, AllowSynchronousContinuations = true });
    private readonly Catalog _catalog;
    private readonly GrainClass _grainClass;
    private readonly ILogger _logger;
    private Grain? _grain;
    private int _pending;
    private long _lastActivityTicks = Environment.TickCount64;

    public GrainActivation(GrainId grainId, GrainClass grainClass, Catalog catalog, ILogger logger)
    {
        GrainId = grainId;
        _grainClass = grainClass;
        _catalog = catalog;
        _logger = logger;
    }

    public GrainId GrainId { get; }

    public IGrainFactory GrainFactory => _catalog.GrainFactory;

    /// <summary>Completes when the activation has deactivated (or failed to activate) and released its calls.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>Queues a call; false when the activation is closing and the caller must look up a fresh one.</summary>
    public bool TryPost(WorkItem item)
    {
        Interlocked.Increment(ref _pending);
        if (_mailbox.Writer.TryWrite(item))
        {
            return true;
        }

        Interlocked.Decrement(ref _pending);
        return false;
    }

    /// <summary>True when no call is queued or running and the last one ended longer than <paramref name="age"/> ago.</summary>
    public bool IsIdleFor(TimeSpan age) =>
        Volatile.Read(ref _pending) == 0 && Environment.TickCount64 - Volatile.Read(ref _lastActivityTicks) >= age.TotalMilliseconds;

    public void Deactivate(DeactivationReason reason) => TryPost(new DeactivateWorkItem(reason));

    public Task<bool> IsPlacedHereAsync() => _catalog.PlacementCheck?.Invoke(GrainId) ?? Task.FromResult(true);

    private async Task RunAsync()
    {
        if (!await ActivateAsync().ConfigureAwait(false))
        {
            return;
        }

        var reason = _grainClass.Interleaves ? await RunInterleavingLoopAsync().ConfigureAwait(false) : await RunSerialLoopAsync().ConfigureAwait(false);
        await DeactivateAsync(reason).ConfigureAwait(false);
    }

    private async Task<bool> ActivateAsync()
    {
        try
        {
            _grain = _catalog.CreateGrainInstance(_grainClass);
            _grain.Attach(this);
            await _grain.OnActivateAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            LogActivationFailed(_logger, e, GrainId);
            _catalog.Remove(this);
            _mailbox.Writer.TryComplete();
            var error = GrainError.From(e);
            while (_mailbox.Reader.TryRead(out var item))
            {
                item.Completion.TrySetResult(new GrainResponse(null, error));
            }

            return false;
        }
    }

    /// <summary>The loop for ordinary grains: strictly one call after another.</summary>
    private async Task<DeactivationReason> RunSerialLoopAsync()
    {
        var reader = _mailbox.Reader;
        while (true)
        {
            while (reader.TryRead(out var item))
            {
                if (item is DeactivateWorkItem deactivate)
                {
                    deactivate.Completion.TrySetResult(GrainResponse.Empty);
                    return deactivate.Reason;
                }

                await ExecuteAsync((CallWorkItem)item).ConfigureAwait(false);
            }

            await reader.WaitToReadAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The loop for grains with interleaving: it peeks at the next item and starts it when the running calls allow
    /// (interleaving calls always; read-only calls beside other read-only calls; others alone), else waits for one to end.
    /// </summary>
    private async Task<DeactivationReason> RunInterleavingLoopAsync()
    {
        var reader = _mailbox.Reader;
        var running = new List<(Task Task, CallWorkItem Item)>();
        while (true)
        {
            running.RemoveAll(r => r.Task.IsCompleted);
            if (reader.TryPeek(out var next))
            {
                if (next is DeactivateWorkItem deactivate && running.Count == 0)
                {
                    reader.TryRead(out _);
                    deactivate.Completion.TrySetResult(GrainResponse.Empty);
                    return deactivate.Reason;
                }

                if (next is CallWorkItem call && CanStart(call, running))
                {
                    reader.TryRead(out _);
                    running.Add((ExecuteAsync(call), call));
                    continue;
                }

                await Task.WhenAny(running.Select(r => r.Task)).ConfigureAwait(false);
                continue;
            }

            var arrival = reader.WaitToReadAsync().AsTask();
            await Task.WhenAny(running.Select(r => r.Task).Append(arrival)).ConfigureAwait(false);
        }
    }

    private bool CanStart(CallWorkItem call, List<(Task Task, CallWorkItem Item)> running)
    {
        if (_grainClass.Reentrant || call.Method.AlwaysInterleave)
        {
            return true;
        }

        var blocking = running.Where(r => !_grainClass.Reentrant && !r.Item.Method.AlwaysInterleave);
        return call.Method.ReadOnly ? blocking.All(r => r.Item.Method.ReadOnly) : !blocking.Any();
    }

    private async Task ExecuteAsync(CallWorkItem item)
    {
        var response = await GrainInvoker.InvokeAsync(_grain!, item.Method, item.Call.Arguments, e => LogCallFailed(_logger, e, GrainId, item.Call.Method)).ConfigureAwait(false);

        // Book-keep before answering, so a caller that sees the answer also sees the activation as idle.
        Volatile.Write(ref _lastActivityTicks, Environment.TickCount64);
        Interlocked.Decrement(ref _pending);
        if (response.Error?.Code == RuntimeErrors.GrainMoved)
        {
            // The grain belongs to another silo now: this activation goes, and the call goes to the owner. If the view
            // says the owner is this silo after all, the caller gets the error rather than a loop.
            LogMoved(_logger, GrainId, item.Call.Method);
            Deactivate(new DeactivationReason(DeactivationReasonCode.PlacementChanged, response.Error.Message));
            if (_catalog.TryReroute(item))
            {
                return;
            }
        }

        item.Completion.TrySetResult(response);
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_catalog.Options.DeactivationTimeout);
            await _grain!.OnDeactivateAsync(reason, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogDeactivationFailed(_logger, e, GrainId);
        }

        LogDeactivated(_logger, GrainId, reason.Code);
        _catalog.Remove(this);
        _mailbox.Writer.TryComplete();
        while (_mailbox.Reader.TryRead(out var item))
        {
            if (item is DeactivateWorkItem extra)
            {
                extra.Completion.TrySetResult(GrainResponse.Empty);
            }
            else
            {
                _catalog.Redispatch((CallWorkItem)item);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Activation of {GrainId} failed; its queued calls fail with the same error")]
    private static partial void LogActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{GrainId} found it is owned by another silo during {Method}; the call goes there")]
    private static partial void LogMoved(ILogger logger, GrainId grainId, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {GrainId}.{Method} threw an unexpected exception")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, GrainId grainId, string method);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} failed")]
    private static partial void LogDeactivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deactivated {GrainId} ({Reason})")]
    private static partial void LogDeactivated(ILogger logger, GrainId grainId, DeactivationReasonCode reason);
}
