namespace Sessions.Gateway.Authorization;

/// <summary>The policies routes ask for by name (<see cref="AuthorizationServiceExtensions"/>); an admin key passes each.</summary>
public static class AuthPolicies
{
    /// <summary>Admin keys only (403 <c>admin-required</c>): <c>/api/agents</c> and below, tokens, participants' creation and listing, deliveries.</summary>
    public const string Admin = "admin";

    /// <summary>The route's session <c>{id}</c> is the caller's: its initiator, peer or attached agent (else 404 <c>session-not-found</c>).</summary>
    public const string SessionMember = "session-member";

    /// <summary>The route's participant <c>{id}</c> is the caller (else 403 <c>not-caller</c>).</summary>
    public const string Self = "self";

    /// <summary>The route's participant <c>{id}</c> is the caller (else 404 <c>participant-not-found</c>).</summary>
    public const string SelfOrHidden = "self-or-hidden";

    /// <summary>An admin key or a <c>system</c> participant's token (else 403 <c>metrics-reader-required</c>).</summary>
    public const string MetricsReader = "metrics-reader";
}
