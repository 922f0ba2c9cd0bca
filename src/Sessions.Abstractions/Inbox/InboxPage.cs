namespace Sessions.Abstractions;

/// <summary>Inbox entries, newest activity first; <see cref="NextCursor"/> fetches the following (older) page, null at the end.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.InboxPage")]
public sealed record InboxPage(
    [property: Id(0)] IReadOnlyList<InboxEntry> Sessions,
    [property: Id(1)] string? NextCursor);
