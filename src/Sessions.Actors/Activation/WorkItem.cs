namespace Sessions.Actors;

/// <summary>Something an activation's mailbox holds: a call to run, or a request to deactivate.</summary>
internal abstract class WorkItem
{
    public TaskCompletionSource<GrainResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

internal sealed class CallWorkItem(GrainCall call, GrainMethod method) : WorkItem
{
    public GrainCall Call { get; } = call;

    public GrainMethod Method { get; } = method;
}

internal sealed class DeactivateWorkItem(DeactivationReason reason) : WorkItem
{
    public DeactivationReason Reason { get; } = reason;
}
