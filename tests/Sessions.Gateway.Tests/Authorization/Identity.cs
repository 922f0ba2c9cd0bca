namespace Sessions.Gateway.Tests.Authorization;

/// <summary>The callers of the authorization matrix: five that authentication refuses, four it accepts.</summary>
public enum Identity
{
    NoToken,
    MalformedToken,
    UnknownToken,
    RevokedToken,
    ExpiredToken,

    /// <summary>A participant with a valid token who is not in the prepared session.</summary>
    OtherParticipant,

    /// <summary>The prepared session's initiator (a human).</summary>
    SessionMember,

    /// <summary>The agent attached to the prepared session.</summary>
    AttachedAgent,
    Admin,
}
