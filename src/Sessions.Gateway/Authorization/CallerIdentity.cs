using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Authorization;

/// <summary>
/// A participant token acts only as its own participant: a write that names who does it (<c>sender_id</c>,
/// <c>participant_id</c>, <c>initiator_id</c>) must name the caller, else 403 <c>not-caller</c>. An admin key may name
/// anyone. Checked by the handlers, after the body is read and validated, before anything is written.
/// </summary>
public static class CallerIdentity
{
    /// <summary>The 403 when <paramref name="value"/> of <paramref name="field"/> is not the caller; null when it is (or the caller is an admin).</summary>
    public static ProblemHttpResult? NotCaller(ClaimsPrincipal user, string field, string? value)
    {
        var caller = Caller.From(user) ?? throw new InvalidOperationException("An authenticated request has a caller.");
        return Names(caller, value) ? null : ApiProblems.Of(ProblemCodes.NotCaller, NotCallerDetail(field, value, caller));
    }

    /// <summary>The same rule where refusals are exceptions (the WebSocket's frames): throws a <c>not-caller</c> refusal.</summary>
    public static void Require(Caller caller, string field, string? value)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!Names(caller, value))
        {
            throw new SessionException(ProblemCodes.NotCaller, NotCallerDetail(field, value, caller));
        }
    }

    internal static string NotCallerDetail(string field, string? value, Caller caller) =>
        $"{field} '{value}' is not the caller: this token acts only as participant '{caller.ParticipantId}'.";

    private static bool Names(Caller caller, string? value) => caller.IsAdmin || (value is not null && value == caller.ParticipantId);
}
