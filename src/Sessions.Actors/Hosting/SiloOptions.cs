namespace Sessions.Actors;

/// <summary>Options of a silo's activation runtime.</summary>
public sealed class SiloOptions
{
    /// <summary>How long an activation may stay idle before it is deactivated.</summary>
    /// <value>15 minutes, as Orleans' <c>CollectionAge</c>.</value>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    /// <value>1 minute.</value>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long <c>OnDeactivateAsync</c> may take before the runtime moves on without it.</summary>
    /// <value>10 seconds.</value>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
