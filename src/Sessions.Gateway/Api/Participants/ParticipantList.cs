using Sessions.Abstractions;

namespace Sessions.Gateway.Api.Participants;

/// <summary>A page of participants by ascending id; pass <see cref="NextCursor"/> as <c>cursor</c> for the next one.</summary>
public sealed record ParticipantList(IReadOnlyList<Participant> Participants, string? NextCursor);
