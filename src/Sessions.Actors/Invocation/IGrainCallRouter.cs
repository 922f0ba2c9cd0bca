namespace Sessions.Actors;

/// <summary>
/// Takes a serialized call to the activation that should run it. The single-silo router hands it to the
/// local catalog; a cluster router picks the owning silo first.
/// </summary>
public interface IGrainCallRouter
{
    Task<GrainResponse> SendAsync(GrainCall call, CancellationToken cancellationToken);
}
