namespace Sessions.Gateway.Problems;

/// <summary>
/// The gateway's own problem codes, next to the domain's <see cref="Sessions.Abstractions.SessionErrors"/>.
/// Every problem's <c>type</c> is <c>urn:sessions:problem:{code}</c>; clients switch on it, so codes never change.
/// </summary>
public static class ProblemCodes
{
    public const string InvalidJson = "invalid-json";
    public const string UnreadableBody = "unreadable-body";
    public const string PayloadTooLarge = "payload-too-large";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string NotFound = "not-found";
    public const string MethodNotAllowed = "method-not-allowed";
    public const string SiloUnavailable = "silo-unavailable";
    public const string CallInterrupted = "call-interrupted";
    public const string Timeout = "timeout";
    public const string NotReady = "not-ready";
    public const string Internal = "internal";
    public const string WebSocketRequired = "websocket-required";
    public const string RateLimited = "rate-limited";
    public const string TooManyConnections = "too-many-connections";

    // Authentication (401): why the request's bearer token was not accepted.
    public const string TokenMissing = "token-missing";
    public const string TokenMalformed = "token-malformed";
    public const string TokenUnknown = "token-unknown";
    public const string TokenRevoked = "token-revoked";
    public const string TokenExpired = "token-expired";

    /// <summary>403: an authenticated caller that is not an admin, on an admin-only route.</summary>
    public const string AdminRequired = "admin-required";

    /// <summary>403: a participant token naming another participant (a sender, a reader, an inbox) than its own.</summary>
    public const string NotCaller = "not-caller";

    /// <summary>403: <c>/metrics</c> with a token that is neither an admin key nor a system participant's.</summary>
    public const string MetricsReaderRequired = "metrics-reader-required";

    /// <summary>404: the participant has no token with that id.</summary>
    public const string TokenNotFound = "token-not-found";

    /// <summary>The URN clients match on.</summary>
    public static string TypeOf(string code) => $"urn:sessions:problem:{code}";
}
