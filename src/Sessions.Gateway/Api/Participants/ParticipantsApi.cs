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

namespace Sessions.Gateway.Api.Participants;

/// <summary>
/// <c>/api/participants</c>: each participant is its grain (<see cref="IParticipantGrain"/>), which holds the rules of
/// a new one; the listing is the directory's (<see cref="IParticipantDirectoryGrain"/>). The gateway names a participant
/// created without an id.
/// </summary>
public static class ParticipantsApi
{
    private const string BlankId = "(blank)";

    public static RouteGroupBuilder MapParticipantsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/participants").WithTags("Participants");
        api.MapPost("", CreateAsync)
            .RequireAuthorization(AuthPolicies.Admin)
            .Accepts<CreateParticipantRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesRequestProblems();
        // A participant token sees only its own participant; others answer as if they did not exist.
        api.MapGet("{id}", GetAsync).RequireAuthorization(AuthPolicies.SelfOrHidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("", ListAsync).RequireAuthorization(AuthPolicies.Admin).ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    public static async Task<Results<Created<Participant>, ProblemHttpResult>> CreateAsync(
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.CreateParticipantRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var create = read.Value!;
        var id = create.Id ?? GeneratedIds.New();

        // Orleans refuses a blank grain key. A blank id breaks the id rule, as BlankId does, and the grain answers every
        // id that breaks it alike (together with the command's other broken rules), so it hears of a blank one that way.
        var key = string.IsNullOrWhiteSpace(id) ? BlankId : id;
        var participant = await calls.Get<IParticipantGrain>(key)
            .CreateAsync(new CreateParticipantCommand(create.Kind, create.DisplayName, create.Metadata)).ConfigureAwait(false);
        return TypedResults.Created($"/api/participants/{Uri.EscapeDataString(id)}", participant);
    }

    public static async Task<Results<Ok<Participant>, ProblemHttpResult>> GetAsync(
        string id,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        // An id that breaks the id rule cannot exist; it is not worth a call.
        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.ParticipantNotFound(id);
        }

        try
        {
            return TypedResults.Ok(await calls.RetrySafeAsync(() => calls.Get<IParticipantGrain>(id).GetAsync()).ConfigureAwait(false));
        }
        catch (SessionException e) when (e.Code == SessionErrors.ParticipantNotFound)
        {
            return ApiProblems.ParticipantNotFound(id);
        }
    }

    public static async Task<Results<Ok<ParticipantPage>, ProblemHttpResult>> ListAsync(
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

        var query = new PageQuery(cursor, pageSize);
        return TypedResults.Ok(await calls.RetrySafeAsync(() => calls.Get<IParticipantDirectoryGrain>(0).ListAsync(query)).ConfigureAwait(false));
    }
}
