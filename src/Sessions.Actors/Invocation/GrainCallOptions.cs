namespace Sessions.Actors;

/// <summary>Options of the calling side of grain calls.</summary>
public sealed class GrainCallOptions
{
    /// <summary>How long a caller waits for a grain's answer before it gets a <see cref="TimeoutException"/>.</summary>
    /// <value>30 seconds, as in Orleans.</value>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
