using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>
/// An agent's webhook registration as it works now: every setting is the effective one (the agent's own, else the
/// configured default). Never carries a secret.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.Agent")]
public sealed record Agent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] AgentStatus Status,
    [property: Id(3)] string? DisabledReason,
    [property: Id(4)] long TimeoutMs,
    [property: Id(5)] int MaxAttempts,
    [property: Id(6)] long RetryBaseDelayMs,
    [property: Id(7)] long RetryMaxDelayMs,
    [property: Id(8)] long DebounceMs,
    [property: Id(9)] AgentHistory History,
    [property: Id(10)] DateTimeOffset? PreviousSecretExpiresAt,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] DateTimeOffset UpdatedAt);

/// <summary>Which earlier messages a delivery carries; <see cref="Count"/> is null for <see cref="AgentHistoryMode.Last"/>.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.AgentHistory")]
public sealed record AgentHistory(
    [property: Id(0)] AgentHistoryMode Mode,
    [property: Id(1)] int? Count);

/// <summary>A registration just made, with the secret it signs with: the only answer besides a rotation that shows it.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.RegisteredAgent")]
public sealed record RegisteredAgent(
    [property: Id(0)] Agent Agent,
    [property: Id(1)] string Secret);

/// <summary>A rotation's answer: the new secret (shown this once) and until when the old one still signs.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.RotatedSecret")]
public sealed record RotatedSecret(
    [property: Id(0)] string Secret,
    [property: Id(1)] DateTimeOffset PreviousSecretExpiresAt);

/// <summary>A page of registrations by ascending agent id; pass <see cref="NextCursor"/> as the next query's cursor (null: the last page).</summary>
[GenerateSerializer, Immutable, Alias("Sessions.AgentPage")]
public sealed record AgentPage(
    [property: Id(0)] IReadOnlyList<Agent> Agents,
    [property: Id(1)] string? NextCursor);

/// <summary>Whether deliveries go out to an agent's webhook. Written in JSON as the lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentStatus>))]
[GenerateSerializer, Alias("Sessions.AgentStatus")]
public enum AgentStatus
{
    [JsonStringEnumMemberName("enabled")] Enabled = 0,
    [JsonStringEnumMemberName("disabled")] Disabled = 1,
}

/// <summary>Which earlier messages of the session a delivery carries besides the new ones. Written in JSON as the lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentHistoryMode>))]
[GenerateSerializer, Alias("Sessions.AgentHistoryMode")]
public enum AgentHistoryMode
{
    /// <summary>The last <c>count</c> messages before the new ones.</summary>
    [JsonStringEnumMemberName("tail")] Tail = 0,

    /// <summary>No earlier messages: only those being delivered.</summary>
    [JsonStringEnumMemberName("last")] Last = 1,

    /// <summary>The whole session before the new messages, up to <c>count</c> (or the configured maximum).</summary>
    [JsonStringEnumMemberName("entire")] Entire = 2,
}
