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

    /// <summary>The URN clients match on.</summary>
    public static string TypeOf(string code) => $"urn:sessions:problem:{code}";
}
