using Sessions.Abstractions;

namespace Sessions.Storage.Participants;

/// <summary>The spelling of <see cref="ParticipantKind"/> in the <c>participants.kind</c> column (and its check constraint).</summary>
internal static class ParticipantKindColumn
{
    public static string ToText(ParticipantKind kind) => kind switch
    {
        ParticipantKind.Human => "human",
        ParticipantKind.Agent => "agent",
        ParticipantKind.System => "system",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown participant kind."),
    };

    public static ParticipantKind Parse(string text) => text switch
    {
        "human" => ParticipantKind.Human,
        "agent" => ParticipantKind.Agent,
        "system" => ParticipantKind.System,
        _ => throw new InvalidOperationException($"Unknown participant kind '{text}' in the database."),
    };
}
