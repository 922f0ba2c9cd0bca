using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// Reads that span many participants. A stateless worker: call it with key 0 (<c>GetGrain&lt;IParticipantDirectoryGrain&gt;(0)</c>);
/// each silo runs its own activations, so a listing never waits behind another participant's calls.
/// </summary>
[Alias("Sessions.IParticipantDirectoryGrain")]
public interface IParticipantDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>A page of every participant by ascending id.</summary>
    [ReadOnly, Alias("ListAsync")]
    Task<ParticipantPage> ListAsync(PageQuery query);
}

/// <summary>A page of participants by ascending id; pass <see cref="NextCursor"/> as the next query's cursor (null: the last page).</summary>
[GenerateSerializer, Immutable, Alias("Sessions.ParticipantPage")]
public sealed record ParticipantPage(
    [property: Id(0)] IReadOnlyList<Participant> Participants,
    [property: Id(1)] string? NextCursor);
