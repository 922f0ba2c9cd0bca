using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Calls;
using Sessions.Gateway.Problems;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Api.Deliveries;

/// <summary>
/// The delivery log, read-only: an agent's deliveries, a session's, and one by id, each with its attempts, answered by
/// the delivery log grain (<see cref="IDeliveryLogGrain"/>); the agent dispatchers write the log.
/// </summary>
public static class DeliveriesApi
{
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
        [FromServices] GrainCalls calls)
    {
        var query = Query(status, limit, cursor);
        var page = await calls.RetrySafeAsync(() => Log(calls).ListByAgentAsync(id, query)).ConfigureAwait(false);
        return TypedResults.Ok(DeliveryList.From(page));
    }

    public static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> ListBySessionAsync(
        string id,
        string? status,
        string? limit,
        string? cursor,
        [FromServices] GrainCalls calls)
    {
        var query = Query(status, limit, cursor);
        var page = await calls.RetrySafeAsync(() => Log(calls).ListBySessionAsync(id, query)).ConfigureAwait(false);
        return TypedResults.Ok(DeliveryList.From(page));
    }

    public static async Task<Results<Ok<DeliveryView>, ProblemHttpResult>> GetAsync(
        string id,
        [FromServices] GrainCalls calls)
    {
        if (!TryParseId(id, out var deliveryId))
        {
            return DeliveryNotFound(id);
        }

        return TypedResults.Ok(DeliveryView.From(await calls.RetrySafeAsync(() => Log(calls).GetAsync(deliveryId)).ConfigureAwait(false)));
    }

    internal static IDeliveryLogGrain Log(GrainCalls calls) => calls.Get<IDeliveryLogGrain>(0);

    /// <summary>Any spelling of a uuid is accepted; anything else cannot be a delivery's id.</summary>
    internal static bool TryParseId(string id, out Guid deliveryId) => Guid.TryParse(id, out deliveryId);

    /// <summary>For an id in the path that cannot be a delivery's: no call can find it.</summary>
    internal static ProblemHttpResult DeliveryNotFound(string id) =>
        ApiProblems.Of(SessionErrors.DeliveryNotFound, $"Delivery '{id}' does not exist.");

    private static DeliveryQuery Query(string? status, string? limit, string? cursor) =>
        new(ContractValues.Enum<DeliveryStatus>(status), cursor, ContractValues.PageLimit(limit));
}
