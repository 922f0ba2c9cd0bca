using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>Who a participant is. Agents are participants too, so they can send messages.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParticipantKind>))]
[GenerateSerializer, Alias("Sessions.ParticipantKind")]
public enum ParticipantKind
{
    [JsonStringEnumMemberName("human")] Human = 0,
    [JsonStringEnumMemberName("agent")] Agent = 1,
    [JsonStringEnumMemberName("system")] System = 2,
}
