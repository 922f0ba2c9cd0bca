using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Api.Sessions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Problems;
using Sessions.Gateway.Requests;
using Sessions.Storage.Deliveries;
using Sessions.Storage.Paging;
using Sessions.Storage.Participants;
using Sessions.Storage.Sessions;

namespace Sessions.Gateway.Api.Deliveries;

/// <summary>
/// The delivery log, read-only: an agent's deliveries, a session's, and one by id, each with its attempts. The log is
/// read from its store (it spans sessions, and reading it must not wake grains); the agent dispatcher writes it.
/// </summary>
public static class DeliveriesApi
{
    private static readonly Dictionary<string, DeliveryStatus> StatusNames = new(StringComparer.Ordinal)
    {
        ["pending"] = DeliveryStatus.Pending,
        ["succeeded"] = DeliveryStatus.Succeeded,
        ["failed"] = DeliveryStatus.Failed,
    };

    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder routes)
    {
        // The delivery log is the operator's (webhook endpoints, their answers and errors): admin keys only, like /api/agents.
        routes.MapGet("api/agents/{id}/deliveries", ListByAgentAsync)
            .WithTags("Deliveries")
            .RequireAuthorization(AuthPolicies.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapGet("api/sessions/{id}/deliveries", ListBySessionAsync)
            .WithTags("Deliveries")
            .RequireAuthorization(AuthPolicies.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapGet("api/deliveries/{id}", GetAsync)
            .WithTags("Deliveries")
            .RequireAuthorization(AuthPolicies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> ListByAgentAsync(
        string id,
        string? status,
        string? limit,
        string? cursor,
        [FromServices] DeliveryStore deliveries,
        [FromServices] ParticipantStore participants,
        [FromServices] IOptions<LimitsOptions> limits,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var statusFilter = Status(status, errors);
        var pageSize = QueryValues.Limit(limit, limits.Value, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        // The agent is the participant, not its webhook registration: the log outlives an endpoint that was removed.
        return !RequestRules.IsValidId(id, limits.Value)
            ? AgentNotFound(id)
            : await ListAsync(
                deliveries,
                DeliveryLogQuery.ByAgent(id, pageSize, statusFilter, cursor),
                async () => await participants.GetAsync(id, ct).ConfigureAwait(false) is not null,
                () => AgentNotFound(id),
                ct).ConfigureAwait(false);
    }

    public static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> ListBySessionAsync(
        string id,
        string? status,
        string? limit,
        string? cursor,
        [FromServices] DeliveryStore deliveries,
        [FromServices] SessionStore sessions,
        [FromServices] IOptions<LimitsOptions> limits,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var statusFilter = Status(status, errors);
        var pageSize = QueryValues.Limit(limit, limits.Value, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        return !RequestRules.IsValidId(id, limits.Value)
            ? SessionsApi.SessionNotFound(id)
            : await ListAsync(
                deliveries,
                DeliveryLogQuery.BySession(id, pageSize, statusFilter, cursor),
                async () => await sessions.GetAsync(id, ct).ConfigureAwait(false) is not null,
                () => SessionsApi.SessionNotFound(id),
                ct).ConfigureAwait(false);
    }

    public static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetAsync(
        string id,
        [FromServices] DeliveryStore deliveries,
        CancellationToken ct)
    {
        // Any spelling of a uuid is accepted; anything else cannot be a delivery's id.
        var delivery = Guid.TryParse(id, out var deliveryId)
            ? await deliveries.GetAsync(deliveryId, ct).ConfigureAwait(false)
            : null;
        return delivery is null
            ? ApiProblems.Of(SessionErrors.DeliveryNotFound, $"Delivery '{id}' does not exist.")
            : TypedResults.Ok(DeliveryView.From(delivery));
    }

    private static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> ListAsync(
        DeliveryStore deliveries,
        DeliveryLogQuery query,
        Func<Task<bool>> ownerExists,
        Func<ProblemHttpResult> ownerNotFound,
        CancellationToken ct)
    {
        DeliveryRowPage page;
        try
        {
            page = await deliveries.ListAsync(query, ct).ConfigureAwait(false);
        }
        catch (InvalidCursorException e)
        {
            return ApiProblems.Validation("cursor", e.Message);
        }

        // A delivery references its agent and its session, so a page with any proves the owner exists: only an empty
        // page costs the second query.
        if (page.Deliveries.Count == 0 && !await ownerExists().ConfigureAwait(false))
        {
            return ownerNotFound();
        }

        return TypedResults.Ok(new DeliveryList([.. page.Deliveries.Select(DeliveryView.From)], page.NextCursor));
    }

    private static DeliveryStatus? Status(string? raw, ValidationErrors errors)
    {
        if (raw is null)
        {
            return null;
        }

        if (StatusNames.TryGetValue(raw, out var status))
        {
            return status;
        }

        errors.Add("status", $"status must be one of {string.Join(", ", StatusNames.Keys)}.");
        return null;
    }

    private static ProblemHttpResult AgentNotFound(string id) =>
        ApiProblems.Of(SessionErrors.AgentNotFound, $"Agent '{id}' does not exist.");
}
