namespace Sessions.Abstractions;

/// <summary>The stored message; <see cref="Created"/> is false when the append replayed an earlier one.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.AppendResult")]
public sealed record AppendResult(
    [property: Id(0)] ChatMessage Message,
    [property: Id(1)] bool Created);
