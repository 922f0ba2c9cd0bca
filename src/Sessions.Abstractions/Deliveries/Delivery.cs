using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>
/// One delivery of a session's messages <see cref="FirstSeq"/>..<see cref="LastSeq"/> to its agent, with every attempt
/// so far, oldest first. <see cref="Id"/> is stable across attempts (the receiver dedupes by it).
/// <see cref="NextAttemptAt"/> is set exactly while it is pending, <see cref="CompletedAt"/> exactly while it is not;
/// <see cref="LastError"/> describes the latest failed attempt and is cleared by a success.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.Delivery")]
public sealed record Delivery(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string AgentId,
    [property: Id(2)] string SessionId,
    [property: Id(3)] long FirstSeq,
    [property: Id(4)] long LastSeq,
    [property: Id(5)] DeliveryStatus Status,
    [property: Id(6)] IReadOnlyList<DeliveryAttempt> Attempts,
    [property: Id(7)] int AttemptCount,
    [property: Id(8)] DateTimeOffset? NextAttemptAt,
    [property: Id(9)] string? LastError,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset? CompletedAt);

/// <summary>One attempt of a delivery; <see cref="HttpStatus"/> is null when no answer came.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.DeliveryAttempt")]
public sealed record DeliveryAttempt(
    [property: Id(0)] int Attempt,
    [property: Id(1)] DeliveryTrigger Trigger,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset FinishedAt,
    [property: Id(4)] int LatencyMs,
    [property: Id(5)] int? HttpStatus,
    [property: Id(6)] string? Error,
    [property: Id(7)] string? ResponseExcerpt);

/// <summary>Where a delivery stands. Written in JSON as the lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryStatus>))]
[GenerateSerializer, Alias("Sessions.DeliveryStatus")]
public enum DeliveryStatus
{
    /// <summary>Not yet accepted by the agent; the next attempt is due at <see cref="Delivery.NextAttemptAt"/>.</summary>
    [JsonStringEnumMemberName("pending")] Pending = 0,

    /// <summary>The agent accepted it (a 2xx).</summary>
    [JsonStringEnumMemberName("succeeded")] Succeeded = 1,

    /// <summary>Dead-lettered: the retry schedule ran out, or the agent gave an answer not worth retrying.</summary>
    [JsonStringEnumMemberName("failed")] Failed = 2,
}

/// <summary>What started an attempt. Written in JSON as the lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryTrigger>))]
[GenerateSerializer, Alias("Sessions.DeliveryTrigger")]
public enum DeliveryTrigger
{
    /// <summary>The dispatcher's own schedule: the first send or a retry.</summary>
    [JsonStringEnumMemberName("scheduled")] Scheduled = 0,

    /// <summary>Someone asked for it again (a redelivery or the recovery of failed deliveries).</summary>
    [JsonStringEnumMemberName("manual")] Manual = 1,
}
