using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Problems;
using Sessions.Gateway.Requests;
using Sessions.Gateway.Serialization;
using Sessions.Storage.Paging;
using Sessions.Storage.Participants;

namespace Sessions.Gateway.Api.Participants;

/// <summary>
/// <c>/api/participants</c>: participants are written straight to their store (they have no grain) and never change,
/// so this is the one API whose checks all live in the gateway.
/// </summary>
public static class ParticipantsApi
{
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
        [FromServices] ParticipantStore participants,
        [FromServices] IOptions<LimitsOptions> limits,
        CancellationToken ct)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.CreateParticipantRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var create = read.Value!;
        var errors = new ValidationErrors()
            .Id("id", create.Id, limits.Value)
            .Required("kind", create.Kind)
            .Metadata("metadata", create.Metadata, limits.Value);
        if (create.DisplayName?.Length > limits.Value.MaxDisplayNameLength)
        {
            errors.Add("display_name", $"display_name must be at most {limits.Value.MaxDisplayNameLength} characters.");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var id = create.Id ?? GeneratedIds.New();
        var participant = await participants.TryInsertAsync(
            id, create.Kind!.Value, create.DisplayName, RequestRules.NullIfJsonNull(create.Metadata), ct).ConfigureAwait(false);
        return participant is null
            ? ApiProblems.Of(SessionErrors.ParticipantAlreadyExists, $"Participant '{id}' already exists.")
            : TypedResults.Created($"/api/participants/{Uri.EscapeDataString(id)}", participant);
    }

    public static async Task<Results<Ok<Participant>, ProblemHttpResult>> GetAsync(
        string id,
        [FromServices] ParticipantStore participants,
        [FromServices] IOptions<LimitsOptions> limits,
        CancellationToken ct)
    {
        // An id that breaks the id rule cannot exist; it is not worth a query.
        var participant = RequestRules.IsValidId(id, limits.Value)
            ? await participants.GetAsync(id, ct).ConfigureAwait(false)
            : null;
        return participant is null
            ? ApiProblems.Of(SessionErrors.ParticipantNotFound, $"Participant '{id}' does not exist.", status: StatusCodes.Status404NotFound)
            : TypedResults.Ok(participant);
    }

    public static async Task<Results<Ok<ParticipantList>, ProblemHttpResult>> ListAsync(
        string? limit,
        string? cursor,
        [FromServices] ParticipantStore participants,
        [FromServices] IOptions<LimitsOptions> limits,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var pageSize = QueryValues.Limit(limit, limits.Value, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        try
        {
            var page = await participants.ListAsync(pageSize, cursor, ct).ConfigureAwait(false);
            return TypedResults.Ok(new ParticipantList(page.Participants, page.NextCursor));
        }
        catch (InvalidCursorException e)
        {
            return ApiProblems.Validation("cursor", e.Message);
        }
    }
}
