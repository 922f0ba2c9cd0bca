using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>The lifecycle state of a chat session; see <see cref="SessionStatusTransitions"/> for the legal moves.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionStatus>))]
public enum SessionStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("idle")] Idle,
    [JsonStringEnumMemberName("suspended")] Suspended,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("closed")] Closed,
}
