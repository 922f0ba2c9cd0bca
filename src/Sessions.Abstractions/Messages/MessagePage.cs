namespace Sessions.Abstractions;

/// <summary>
/// A page of messages in ascending <c>seq</c> order. When more messages lie in the direction of reading,
/// <see cref="NextAfterSeq"/> (forward) or <see cref="NextBeforeSeq"/> (backward) is the bound of the next page.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.MessagePage")]
public sealed record MessagePage(
    [property: Id(0)] IReadOnlyList<ChatMessage> Messages,
    [property: Id(1)] long? NextAfterSeq,
    [property: Id(2)] long? NextBeforeSeq);
