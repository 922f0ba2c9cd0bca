using Sessions.Abstractions;

namespace Sessions.Gateway.Api.Sessions;

/// <summary>A page of a participant's sessions, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next one.</summary>
public sealed record SessionList(IReadOnlyList<ChatSession> Sessions, string? NextCursor);
