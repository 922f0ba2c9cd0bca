using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>Who a participant is. Agents are participants too, so they can send messages.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParticipantKind>))]
public enum ParticipantKind
{
    [JsonStringEnumMemberName("human")] Human,
    [JsonStringEnumMemberName("agent")] Agent,
    [JsonStringEnumMemberName("system")] System,
}
