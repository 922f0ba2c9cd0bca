using System.Text.Json.Serialization;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Api.Agents;

/// <summary>
/// The body of <c>POST /api/agents</c> and <c>PUT /api/agents/{id}</c>. On PUT an absent member keeps its value and a
/// null setting returns to the configured default; on POST both mean the default. Numbers are read as 64-bit so that an
/// out-of-range value earns a range message rather than a type error.
/// </summary>
public sealed class AgentRequest
{
    /// <summary>The agent participant's id (POST: generated when absent; PUT: absent or the id in the path).</summary>
    public string? Id { get; init; }

    public string? Url { get; init; }

    /// <summary>POST only: a <c>whsec_…</c> secret to sign with; generated when absent.</summary>
    public string? Secret { get; init; }

    [JsonConverter(typeof(OptionalJsonConverter<long?>))]
    public Optional<long?> TimeoutMs { get; init; }

    [JsonConverter(typeof(OptionalJsonConverter<long?>))]
    public Optional<long?> MaxAttempts { get; init; }

    [JsonConverter(typeof(OptionalJsonConverter<long?>))]
    public Optional<long?> RetryBaseDelayMs { get; init; }

    [JsonConverter(typeof(OptionalJsonConverter<long?>))]
    public Optional<long?> RetryMaxDelayMs { get; init; }

    [JsonConverter(typeof(OptionalJsonConverter<long?>))]
    public Optional<long?> DebounceMs { get; init; }

    [JsonConverter(typeof(OptionalJsonConverter<AgentHistoryRequest>))]
    public Optional<AgentHistoryRequest> History { get; init; }

    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public string? Status { get; init; }
}

/// <summary><c>history</c>: which earlier messages a delivery carries. Given as a whole: <c>mode</c> is required.</summary>
public sealed class AgentHistoryRequest
{
    /// <summary><c>tail</c>, <c>last</c> or <c>entire</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>For <c>tail</c> how many, for <c>entire</c> the cap; absent or null: the configured default.</summary>
    public long? Count { get; init; }
}
