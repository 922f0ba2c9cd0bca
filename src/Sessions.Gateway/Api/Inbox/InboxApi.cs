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

namespace Sessions.Gateway.Api.Inbox;

/// <summary>
/// A participant's inbox (<c>GET /api/participants/{id}/inbox</c>) and its read cursors
/// (<c>POST /api/sessions/{id}/read</c>), both answered by the participant's inbox grain. Both calls are safe to
/// repeat — a read, and a cursor that only moves forward — so both are resent if a silo fails under them.
/// </summary>
public static class InboxApi
{
    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("api/participants/{id}/inbox", ListAsync)
            .WithTags("Inbox")
            .RequireAuthorization(AuthPolicies.Self)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapPost("api/sessions/{id}/read", MarkReadAsync)
            .WithTags("Inbox")
            .RequireAuthorization(AuthPolicies.SessionMember)
            .Accepts<MarkReadRequest>("application/json")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesRequestProblems();
        return routes;
    }

    public static async Task<Results<Ok<InboxPage>, ProblemHttpResult>> ListAsync(
        string id,
        string? limit,
        string? cursor,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var errors = new ValidationErrors();
        var pageSize = QueryValues.Limit(limit, limits.Value, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.ParticipantNotFound(id);
        }

        try
        {
            var query = new InboxQuery(cursor, pageSize);
            return TypedResults.Ok(await calls.RetrySafeAsync(() => calls.Get<IInboxGrain>(id).ListAsync(query)).ConfigureAwait(false));
        }
        catch (SessionException e) when (e.Code == SessionErrors.ParticipantNotFound)
        {
            // The participant is the resource asked for here, not a reference in a body (422): a 404, like GET /api/participants/{id}.
            return ApiProblems.ParticipantNotFound(id);
        }
    }

    public static async Task<Results<Ok<InboxEntry>, ProblemHttpResult>> MarkReadAsync(
        ClaimsPrincipal user,
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.MarkReadRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var mark = read.Value!;
        var errors = new ValidationErrors()
            .RequiredText("participant_id", mark.ParticipantId)
            .Id("participant_id", mark.ParticipantId, limits.Value)
            .Required("last_seq", mark.LastSeq);
        if (mark.LastSeq is < 0)
        {
            errors.Add("last_seq", "last_seq must not be negative.");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (CallerIdentity.NotCaller(user, "participant_id", mark.ParticipantId) is { } notCaller)
        {
            return notCaller;
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        var inbox = calls.Get<IInboxGrain>(mark.ParticipantId!);
        var lastSeq = mark.LastSeq!.Value;
        return TypedResults.Ok(await calls.RetrySafeAsync(() => inbox.MarkReadAsync(id, lastSeq)).ConfigureAwait(false));
    }
}
