namespace Sessions.Abstractions;

/// <summary>
/// One member of a partial change: <c>default</c> (not <see cref="IsSet"/>) leaves it as it is, <see cref="To"/> sets
/// it, null included (for a setting: back to the configured default).
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.Change`1")]
public readonly record struct Change<T>(
    [property: Id(0)] bool IsSet,
    [property: Id(1)] T Value)
{
    public static Change<T> To(T value) => new(true, value);
}

/// <summary>
/// An agent's delivery settings as a caller gives them; the grain checks each against its bounds. Numbers are 64-bit
/// so an out-of-range value is refused by name rather than cut. A member not set keeps its value (on a registration:
/// the default); set to null, it returns to the configured default.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.AgentSettingsChange")]
public sealed record AgentSettingsChange
{
    [Id(0)] public Change<long?> TimeoutMs { get; init; }

    [Id(1)] public Change<long?> MaxAttempts { get; init; }

    [Id(2)] public Change<long?> RetryBaseDelayMs { get; init; }

    [Id(3)] public Change<long?> RetryMaxDelayMs { get; init; }

    [Id(4)] public Change<long?> DebounceMs { get; init; }

    /// <summary>Set to null: the default history (<c>tail</c> with the configured count).</summary>
    [Id(5)] public Change<AgentHistoryChange?> History { get; init; }
}

/// <summary><c>history</c> as given: <see cref="Mode"/> is required (a null or undefined mode is refused by name).</summary>
[GenerateSerializer, Immutable, Alias("Sessions.AgentHistoryChange")]
public sealed record AgentHistoryChange(
    [property: Id(0)] AgentHistoryMode? Mode,
    [property: Id(1)] long? Count = null);

/// <summary>
/// A new registration. <see cref="Url"/> is required; <see cref="Secret"/> (<c>whsec_…</c>) is generated when null;
/// <see cref="Status"/> defaults to enabled.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.RegisterAgentCommand")]
public sealed record RegisterAgentCommand(
    [property: Id(0)] string? Url,
    [property: Id(1)] string? Secret = null,
    [property: Id(2)] AgentSettingsChange? Settings = null,
    [property: Id(3)] AgentStatus? Status = null);

/// <summary>A change of a registration: null <see cref="Url"/> and <see cref="Status"/> keep theirs; see <see cref="AgentSettingsChange"/>.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.UpdateAgentCommand")]
public sealed record UpdateAgentCommand(
    [property: Id(0)] string? Url = null,
    [property: Id(1)] AgentSettingsChange? Settings = null,
    [property: Id(2)] AgentStatus? Status = null);

/// <summary>A rotation: sign with <see cref="Secret"/> (<c>whsec_…</c>) from now on, or with a generated one when null.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.RotateSecretCommand")]
public sealed record RotateSecretCommand([property: Id(0)] string? Secret = null);
