namespace Sessions.Abstractions;

/// <summary>
/// A page request over a session's log. With <see cref="AfterSeq"/> the page reads forward from just after it;
/// otherwise it reads the newest <see cref="Limit"/> messages before <see cref="BeforeSeq"/> (or the end).
/// Both bounds are exclusive; pages are always in ascending <c>seq</c> order.
/// </summary>
public sealed record MessageQuery(long? AfterSeq, long? BeforeSeq, int Limit);
