namespace Sessions.Abstractions;

/// <summary>
/// A page request over a session's log. With <see cref="AfterSeq"/> the page reads forward from just after it;
/// otherwise it reads the newest <see cref="Limit"/> messages before <see cref="BeforeSeq"/> (or the end).
/// Both bounds are exclusive; pages are always in ascending <c>seq</c> order.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.MessageQuery")]
public sealed record MessageQuery(
    [property: Id(0)] long? AfterSeq,
    [property: Id(1)] long? BeforeSeq,
    [property: Id(2)] int Limit);
