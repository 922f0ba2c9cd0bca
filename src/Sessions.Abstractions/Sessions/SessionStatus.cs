using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>The lifecycle state of a chat session; see <see cref="SessionStatusTransitions"/> for the legal moves.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionStatus>))]
[GenerateSerializer, Alias("Sessions.SessionStatus")]
public enum SessionStatus
{
    [JsonStringEnumMemberName("active")] Active = 0,
    [JsonStringEnumMemberName("idle")] Idle = 1,
    [JsonStringEnumMemberName("suspended")] Suspended = 2,
    [JsonStringEnumMemberName("completed")] Completed = 3,
    [JsonStringEnumMemberName("failed")] Failed = 4,
    [JsonStringEnumMemberName("closed")] Closed = 5,
}
