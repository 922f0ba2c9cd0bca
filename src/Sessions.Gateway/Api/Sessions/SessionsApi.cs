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

namespace Sessions.Gateway.Api.Sessions;

/// <summary>
/// <c>/api/sessions</c>: every read and write of one session goes through its grain, which owns the session's rules;
/// the listing by participant, which spans many sessions, is the session directory's (<see cref="ISessionDirectoryGrain"/>).
/// </summary>
public static class SessionsApi
{
    private static readonly Dictionary<string, SessionStatus> StatusNames =
        Enum.GetValues<SessionStatus>().ToDictionary(s => s.ToString().ToLowerInvariant(), StringComparer.Ordinal);

    public static RouteGroupBuilder MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/sessions").WithTags("Sessions");
        api.MapPost("", CreateAsync)
            .Accepts<CreateSessionRequest>("application/json")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesRequestProblems();
        api.MapGet("{id}", GetAsync).RequireAuthorization(AuthPolicies.SessionMember).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("", ListAsync).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("{id}/status", ChangeStatusAsync)
            .RequireAuthorization(AuthPolicies.SessionMember)
            .Accepts<ChangeStatusRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesRequestProblems();
        return api;
    }

    public static async Task<Results<Created<ChatSession>, ProblemHttpResult>> CreateAsync(
        ClaimsPrincipal user,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.CreateSessionRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var create = read.Value!;
        var errors = new ValidationErrors()
            .RequiredText("initiator_id", create.InitiatorId)
            .RequiredText("peer_id", create.PeerId)
            .Metadata("metadata", create.Metadata);
        if (create.InitiatorId is { Length: > 0 } && create.InitiatorId == create.PeerId)
        {
            errors.Add("peer_id", "A session needs two different participants: peer_id equals initiator_id.");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (CallerIdentity.NotCaller(user, "initiator_id", create.InitiatorId) is { } notCaller)
        {
            return notCaller;
        }

        // The gateway names the session: a time-ordered id, so ids of new sessions sort after older ones.
        var id = GeneratedIds.New();
        var session = await calls.Session(id).CreateAsync(new CreateSessionCommand(
            create.InitiatorId!,
            create.PeerId!,
            create.AgentId,
            create.Kind ?? "",
            RequestRules.NullIfJsonNull(create.Metadata),
            create.TaskId)).ConfigureAwait(false);
        return TypedResults.Created($"/api/sessions/{id}", session);
    }

    public static async Task<Results<Ok<ChatSession>, ProblemHttpResult>> GetAsync(
        string id,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        return TypedResults.Ok(await calls.ReadSessionAsync(id, grain => grain.GetAsync()).ConfigureAwait(false));
    }

    public static async Task<Results<Ok<SessionPage>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user,
        [FromQuery(Name = "participant_id")] string? participantId,
        string? status,
        string? limit,
        string? cursor,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var errors = new ValidationErrors().RequiredText("participant_id", participantId);
        SessionStatus? statusFilter = null;
        if (status is not null)
        {
            if (StatusNames.TryGetValue(status, out var parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                errors.Add("status", $"status must be one of {string.Join(", ", StatusNames.Keys)}.");
            }
        }

        var pageSize = QueryValues.Limit(limit, limits.Value, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (CallerIdentity.NotCaller(user, "participant_id", participantId) is { } notCaller)
        {
            return notCaller;
        }

        var query = new SessionListQuery(participantId!, statusFilter, cursor, pageSize);
        return TypedResults.Ok(await calls.RetrySafeAsync(() => calls.Get<ISessionDirectoryGrain>(0).ListByParticipantAsync(query)).ConfigureAwait(false));
    }

    public static async Task<Results<Ok<ChatSession>, ProblemHttpResult>> ChangeStatusAsync(
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.ChangeStatusRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var change = read.Value!;
        if (change.Status is not { } status)
        {
            return ApiProblems.Validation("status", "status is required.");
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        return TypedResults.Ok(await calls.Session(id).ChangeStatusAsync(status).ConfigureAwait(false));
    }
}
