using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>Where a streamed reply is: still streaming, finalized into a message, or ended early.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReplyStatus>))]
[GenerateSerializer, Alias("Sessions.ReplyStatus")]
public enum ReplyStatus
{
    [JsonStringEnumMemberName("streaming")] Streaming = 0,
    [JsonStringEnumMemberName("completed")] Completed = 1,
    [JsonStringEnumMemberName("aborted")] Aborted = 2,
}
