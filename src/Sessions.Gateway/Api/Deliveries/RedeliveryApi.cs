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
/// Sending deliveries again by hand: one by id, or every failed delivery of an agent since a time. The delivery log
/// grain marks each pending again, then tells the session's dispatcher; it sends them after the delivery it has in
/// flight, each with a fresh retry schedule, its first attempt logged as <c>manual</c>.
/// </summary>
public static class RedeliveryApi
{
    public static IEndpointRouteBuilder MapRedeliveryApi(this IEndpointRouteBuilder routes)
    {
        // Admin keys only, like the rest of the delivery log.
        routes.MapPost("api/deliveries/{id}/redeliver", RedeliverAsync)
            .WithTags("Deliveries")
            .RequireAuthorization(AuthPolicies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound);
        // Under /api/agents, which is for admin keys only.
        routes.MapPost("api/agents/{id}/deliveries/recover", RecoverAsync)
            .WithTags("Deliveries")
            .RequireAuthorization(AuthPolicies.Admin)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> RedeliverAsync(string id, [FromServices] GrainCalls calls)
    {
        if (!DeliveriesApi.TryParseId(id, out var deliveryId))
        {
            return DeliveriesApi.DeliveryNotFound(id);
        }

        var delivery = await DeliveriesApi.Log(calls).RedeliverAsync(deliveryId).ConfigureAwait(false);
        return TypedResults.Accepted($"/api/deliveries/{delivery.Id}", DeliveryView.From(delivery));
    }

    public static async Task<Results<Accepted<RecoveredDeliveries>, ProblemHttpResult>> RecoverAsync(
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.RecoverDeliveriesRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        // The contract's since is a time; "absent" exists only in JSON.
        if (read.Value!.Since is not { } since)
        {
            return ApiProblems.Validation("since", "since is required: the time (RFC 3339) from which failed deliveries are sent again.");
        }

        var recovered = await DeliveriesApi.Log(calls).RecoverAsync(id, since).ConfigureAwait(false);
        return TypedResults.Accepted($"/api/agents/{id}/deliveries?status=pending", recovered);
    }
}
