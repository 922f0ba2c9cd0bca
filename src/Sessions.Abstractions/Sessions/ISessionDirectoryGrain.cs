using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// Reads that span many sessions, answered from the database without waking the sessions' grains. A stateless
/// worker: call it with key 0 (<c>GetGrain&lt;ISessionDirectoryGrain&gt;(0)</c>).
/// </summary>
[Alias("Sessions.ISessionDirectoryGrain")]
public interface ISessionDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// A page of the sessions <see cref="SessionListQuery.ParticipantId"/> is in (as initiator, peer or agent), newest
    /// first. An unknown participant has none.
    /// </summary>
    [ReadOnly, Alias("ListByParticipantAsync")]
    Task<SessionPage> ListByParticipantAsync(SessionListQuery query);
}

/// <summary>A page request over one participant's sessions, only those in <see cref="Status"/> when it is set; see <see cref="PageQuery"/>.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.SessionListQuery")]
public sealed record SessionListQuery(
    [property: Id(0)] string ParticipantId,
    [property: Id(1)] SessionStatus? Status = null,
    [property: Id(2)] string? Cursor = null,
    [property: Id(3)] int? Limit = null);

/// <summary>A page of sessions, newest first; pass <see cref="NextCursor"/> as the next query's cursor (null: the last page).</summary>
[GenerateSerializer, Immutable, Alias("Sessions.SessionPage")]
public sealed record SessionPage(
    [property: Id(0)] IReadOnlyList<ChatSession> Sessions,
    [property: Id(1)] string? NextCursor);
