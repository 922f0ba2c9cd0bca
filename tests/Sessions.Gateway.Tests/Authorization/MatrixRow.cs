namespace Sessions.Gateway.Tests.Authorization;

/// <summary>A valid request for a cell: its path and JSON body (null for none).</summary>
public sealed record CellRequest(string Path, string? Body = null);

/// <summary>
/// One route of the matrix: how to build a valid request for a caller, and the answer each accepted caller gets
/// (the refused ones get their 401, the same on every route).
/// </summary>
public sealed record MatrixRow(
    string Method,
    string Pattern,
    Func<AuthorizationMatrixFixture, Identity, Task<CellRequest>> Build,
    Expect Other,
    Expect Member,
    Expect Agent,
    Expect Admin)
{
    /// <summary>The route's name as the gateway's endpoints give it: <c>METHOD pattern</c>.</summary>
    public string Route => $"{Method} {Pattern}";

    public bool Writes => Method is not "GET";

    public Expect For(Identity identity) => identity switch
    {
        Identity.NoToken => Expect.Problem(401, "token-missing"),
        Identity.MalformedToken => Expect.Problem(401, "token-malformed"),
        Identity.UnknownToken => Expect.Problem(401, "token-unknown"),
        Identity.RevokedToken => Expect.Problem(401, "token-revoked"),
        Identity.ExpiredToken => Expect.Problem(401, "token-expired"),
        Identity.OtherParticipant => Other,
        Identity.SessionMember => Member,
        Identity.AttachedAgent => Agent,
        _ => Admin,
    };
}
