using Sessions.Abstractions;

namespace Sessions.Storage.Sessions;

/// <summary>Sessions newest first; <see cref="NextCursor"/> fetches the following (older) page, null at the end.</summary>
public sealed record SessionPage(IReadOnlyList<ChatSession> Sessions, string? NextCursor);
