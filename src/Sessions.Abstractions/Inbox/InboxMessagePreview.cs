namespace Sessions.Abstractions;

/// <summary>
/// The last message of a session, shortened for a list: <see cref="Preview"/> is the content's <c>text</c> when that
/// is a string, else the content as compact JSON, cut to <c>Sessions:Inbox:MaxPreviewLength</c> UTF-16 code units
/// (200 by default; never half of a surrogate pair).
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.InboxMessagePreview")]
public sealed record InboxMessagePreview(
    [property: Id(0)] string MessageId,
    [property: Id(1)] long Seq,
    [property: Id(2)] string SenderId,
    [property: Id(3)] string Kind,
    [property: Id(4)] string Preview,
    [property: Id(5)] DateTimeOffset CreatedAt);
