namespace Sessions.Gateway.Api.Agents;

/// <summary>
/// The body of <c>POST /api/agents</c> and <c>PUT /api/agents/{id}</c>. On PUT an absent member keeps its value and a
/// null setting returns to the configured default; on POST both mean the default. Numbers are read as 64-bit so that an
/// out-of-range value earns a range message rather than a type error.
/// </summary>
/// <remarks>
/// The settings have plain setters that note their member as given: the serializer calls a setter only for a member
/// the JSON has (null included), which is how a partial update tells "left out" from "null", with the OpenAPI
/// document still seeing plain nullable numbers.
/// </remarks>
public sealed class AgentRequest
{
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);
    private long? _timeoutMs;
    private long? _maxAttempts;
    private long? _retryBaseDelayMs;
    private long? _retryMaxDelayMs;
    private long? _debounceMs;
    private AgentHistoryRequest? _history;

    /// <summary>The agent participant's id (POST: generated when absent; PUT: absent or the id in the path).</summary>
    public string? Id { get; init; }

    public string? Url { get; init; }

    /// <summary>POST only: a <c>whsec_…</c> secret to sign with; generated when absent.</summary>
    public string? Secret { get; init; }

    public long? TimeoutMs { get => _timeoutMs; set => _timeoutMs = Given(nameof(TimeoutMs), value); }

    public long? MaxAttempts { get => _maxAttempts; set => _maxAttempts = Given(nameof(MaxAttempts), value); }

    public long? RetryBaseDelayMs { get => _retryBaseDelayMs; set => _retryBaseDelayMs = Given(nameof(RetryBaseDelayMs), value); }

    public long? RetryMaxDelayMs { get => _retryMaxDelayMs; set => _retryMaxDelayMs = Given(nameof(RetryMaxDelayMs), value); }

    public long? DebounceMs { get => _debounceMs; set => _debounceMs = Given(nameof(DebounceMs), value); }

    public AgentHistoryRequest? History { get => _history; set => _history = Given(nameof(History), value); }

    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Whether the JSON had the member named (by its C# name), null included.</summary>
    public bool Has(string member) => _given.Contains(member);

    private T Given<T>(string member, T value)
    {
        _given.Add(member);
        return value;
    }
}

/// <summary><c>history</c>: which earlier messages a delivery carries. Given as a whole: <c>mode</c> is required.</summary>
public sealed class AgentHistoryRequest
{
    /// <summary><c>tail</c>, <c>last</c> or <c>entire</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>For <c>tail</c> how many, for <c>entire</c> the cap; absent or null: the configured default.</summary>
    public long? Count { get; init; }
}
