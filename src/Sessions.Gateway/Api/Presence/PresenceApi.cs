using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Calls;
using Sessions.Gateway.Problems;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Api.Presence;

/// <summary>
/// Typing and presence of a session's members: <c>POST …/typing</c>, <c>POST …/presence</c> (a heartbeat) and
/// <c>GET …/presence</c>. Both are ephemeral; subscribers see them as <c>typing</c> and <c>presence</c> events.
/// </summary>
public static class PresenceApi
{
    public static IEndpointRouteBuilder MapPresenceApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/sessions/{id}").WithTags("Presence").RequireAuthorization(AuthPolicies.SessionMember);
        api.MapPost("typing", TypingAsync).Accepts<TypingRequest>("application/json").ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesRequestProblems();
        api.MapPost("presence", HeartbeatAsync).Accepts<HeartbeatRequest>("application/json").ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesRequestProblems();
        api.MapGet("presence", GetAsync).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<Results<Ok<TypingAccepted>, ProblemHttpResult>> TypingAsync(
        ClaimsPrincipal user,
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.TypingRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var typing = read.Value!;
        var errors = new ValidationErrors().RequiredText("participant_id", typing.ParticipantId).Required("typing", typing.Typing);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (CallerIdentity.NotCaller(user, "participant_id", typing.ParticipantId) is { } notCaller)
        {
            return notCaller;
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        var accepted = await calls.Session(id).SetTypingAsync(typing.ParticipantId!, typing.Typing!.Value).ConfigureAwait(false);
        return TypedResults.Ok(new TypingAccepted(accepted));
    }

    public static async Task<Results<Ok<PresenceList>, ProblemHttpResult>> HeartbeatAsync(
        ClaimsPrincipal user,
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.HeartbeatRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var heartbeat = read.Value!;
        var errors = new ValidationErrors().RequiredText("participant_id", heartbeat.ParticipantId);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (CallerIdentity.NotCaller(user, "participant_id", heartbeat.ParticipantId) is { } notCaller)
        {
            return notCaller;
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        var participants = await calls.Session(id).HeartbeatAsync(heartbeat.ParticipantId!).ConfigureAwait(false);
        return TypedResults.Ok(new PresenceList(participants));
    }

    public static async Task<Results<Ok<PresenceList>, ProblemHttpResult>> GetAsync(
        string id,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        return TypedResults.Ok(new PresenceList(await calls.ReadSessionAsync(id, grain => grain.GetPresenceAsync()).ConfigureAwait(false)));
    }
}
