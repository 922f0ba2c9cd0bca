using Sessions.Abstractions;

namespace Sessions.Storage.Participants;

/// <summary>Participants in ascending id order; <see cref="NextCursor"/> fetches the following page, null at the end.</summary>
public sealed record ParticipantPage(IReadOnlyList<Participant> Participants, string? NextCursor);
