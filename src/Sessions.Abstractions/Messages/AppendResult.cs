namespace Sessions.Abstractions;

/// <summary>The stored message; <see cref="Created"/> is false when the append replayed an earlier one.</summary>
public sealed record AppendResult(ChatMessage Message, bool Created);
