namespace Sessions.Abstractions;

/// <summary>
/// A page of messages in ascending <c>seq</c> order. When more messages lie in the direction of reading,
/// <see cref="NextAfterSeq"/> (forward) or <see cref="NextBeforeSeq"/> (backward) is the bound of the next page.
/// </summary>
public sealed record MessagePage(IReadOnlyList<ChatMessage> Messages, long? NextAfterSeq, long? NextBeforeSeq);
