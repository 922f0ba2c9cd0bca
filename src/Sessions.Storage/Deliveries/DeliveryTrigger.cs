using System.Text.Json.Serialization;

namespace Sessions.Storage.Deliveries;

/// <summary>What started an attempt. Stored and written in JSON as the lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryTrigger>))]
public enum DeliveryTrigger
{
    /// <summary>The dispatcher's own schedule: the first send or a retry.</summary>
    [JsonStringEnumMemberName("scheduled")] Scheduled,

    /// <summary>Someone asked for it again (a redelivery or the recovery of failed deliveries).</summary>
    [JsonStringEnumMemberName("manual")] Manual,
}
