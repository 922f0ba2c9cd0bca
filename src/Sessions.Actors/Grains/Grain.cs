namespace Sessions.Actors;

/// <summary>
/// Base class of grain implementations, shaped like Orleans' <c>Grain</c>: the runtime creates one instance
/// per activation (through dependency injection, so constructors may take services), calls
/// <see cref="OnActivateAsync"/> before the first call, and runs calls one turn at a time.
/// </summary>
public abstract class Grain
{
    private IGrainContext? _context;

    /// <summary>The factory for calling other grains from this one.</summary>
    protected IGrainFactory GrainFactory => Context.GrainFactory;

    /// <summary>The key this activation was created for.</summary>
    public string GetPrimaryKeyString() => Context.GrainId.Key;

    /// <summary>Called once before the first call is delivered; calls that arrive meanwhile wait.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once when the activation is collected, asked to deactivate, or the silo stops.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Asks the runtime to deactivate this activation once the current turn has finished.</summary>
    protected void DeactivateOnIdle() => Context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    /// <summary>
    /// Whether this silo still owns the grain, after rereading the cluster membership. Call it on a sign that another
    /// activation of the grain is running elsewhere (a write that lost a race in storage): views of the membership
    /// can disagree for a moment, and rereading is how the silo with the stale one finds out. Rereads are shared by
    /// the whole silo and spaced out, so calling it often is cheap. Always true on a single silo. When false, throw
    /// <see cref="GrainMovedException"/> and the runtime sends the call to the owner.
    /// </summary>
    protected Task<bool> IsPlacedHereAsync() => Context.IsPlacedHereAsync();

    private IGrainContext Context => _context ?? throw new InvalidOperationException("The grain has not been activated by the runtime.");

    internal void Attach(IGrainContext context) => _context = context;
}

/// <summary>What the runtime exposes to the grain it hosts.</summary>
internal interface IGrainContext
{
    GrainId GrainId { get; }

    IGrainFactory GrainFactory { get; }

    void Deactivate(DeactivationReason reason);

    Task<bool> IsPlacedHereAsync();
}
