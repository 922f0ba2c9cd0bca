using System.Text.Json.Serialization;

namespace Sessions.Storage.Deliveries;

/// <summary>Where a delivery stands. Stored and written in JSON as the lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryStatus>))]
public enum DeliveryStatus
{
    /// <summary>Not yet accepted by the agent; the next attempt is due at <see cref="DeliveryRow.NextAttemptAt"/>.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary>The agent accepted it (a 2xx).</summary>
    [JsonStringEnumMemberName("succeeded")] Succeeded,

    /// <summary>Dead-lettered: the retry schedule ran out, or the agent gave an answer not worth retrying.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}
