namespace Sessions.Actors;

/// <summary>
/// Thrown by a grain call that found, through <see cref="Grain.IsPlacedHereAsync"/>, that its grain now belongs to
/// another silo. The runtime does not answer the caller with it: it deactivates this activation and sends the same
/// call to the owner, which activates the grain from storage. Throw it only while the call has changed nothing that
/// running it again elsewhere would repeat.
/// </summary>
public sealed class GrainMovedException(string message)
    : GrainException(RuntimeErrors.GrainMoved, message);
