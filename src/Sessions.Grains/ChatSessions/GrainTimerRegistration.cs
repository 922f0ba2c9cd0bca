namespace Sessions.Grains;

/// <summary>
/// Registers a grain timer on the activation that owns a collaborator: the grain passes
/// <c>(callback, options) =&gt; this.RegisterGrainTimer(callback, options)</c>, so the collaborator's timer is an ordinary
/// grain timer whose ticks run in the grain's turns, on the clock Orleans drives grain timers with.
/// </summary>
internal delegate IGrainTimer GrainTimerRegistration(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options);
