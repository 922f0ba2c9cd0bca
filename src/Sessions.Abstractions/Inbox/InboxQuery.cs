namespace Sessions.Abstractions;

/// <summary>A page request over an inbox: <see cref="Cursor"/> is the previous page's next cursor (null: the first page).</summary>
[GenerateSerializer, Immutable, Alias("Sessions.InboxQuery")]
public sealed record InboxQuery(
    [property: Id(0)] string? Cursor,
    [property: Id(1)] int Limit);
