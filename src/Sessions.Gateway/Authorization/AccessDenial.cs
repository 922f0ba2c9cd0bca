using Microsoft.AspNetCore.Authorization;

namespace Sessions.Gateway.Authorization;

/// <summary>
/// Why a policy refused an authenticated caller, as the problem the caller gets: a 403 with its own code, or the 404
/// of a resource that must not be seen to exist (<see cref="ProblemAuthorizationResultHandler"/> writes it).
/// </summary>
public sealed class AccessDenial(IAuthorizationHandler handler, string code, string detail, int? status = null)
    : AuthorizationFailureReason(handler, detail)
{
    public string Code { get; } = code;

    /// <summary>The status when the code's own (the problem catalog's) is not the one meant.</summary>
    public int? Status { get; } = status;
}
