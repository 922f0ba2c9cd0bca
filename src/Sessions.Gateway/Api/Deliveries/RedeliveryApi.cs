using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Problems;
using Sessions.Gateway.Requests;
using Sessions.Gateway.Serialization;
using Sessions.Storage.Deliveries;
using Sessions.Storage.Participants;

namespace Sessions.Gateway.Api.Deliveries;

/// <summary>
/// Sending deliveries again by hand: one by id, or every failed delivery of an agent since a time. The log marks each
/// pending again, then the session's dispatcher is told; it sends them after the delivery it has in flight, each with a
/// fresh retry schedule, its first attempt logged as <c>manual</c>.
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

    public static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> RedeliverAsync(
        string id,
        [FromServices] DeliveryStore deliveries,
        [FromServices] IGrainFactory grains,
        CancellationToken ct)
    {
        var delivery = Guid.TryParse(id, out var deliveryId)
            ? await deliveries.RequeueAsync(deliveryId, ct).ConfigureAwait(false)
            : null;
        if (delivery is null)
        {
            return ApiProblems.Of(SessionErrors.DeliveryNotFound, $"Delivery '{id}' does not exist.");
        }

        await grains.GetGrain<IAgentDispatcherGrain>(delivery.SessionId).RedeliverAsync(delivery.Id).ConfigureAwait(false);
        return TypedResults.Accepted($"/api/deliveries/{delivery.Id}", DeliveryView.From(delivery));
    }

    public static async Task<Results<Accepted<RecoveredDeliveries>, ProblemHttpResult>> RecoverAsync(
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] DeliveryStore deliveries,
        [FromServices] ParticipantStore participants,
        [FromServices] IGrainFactory grains,
        [FromServices] IOptions<LimitsOptions> limits,
        CancellationToken ct)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.RecoverDeliveriesRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        if (read.Value!.Since is not { } since)
        {
            return ApiProblems.Validation("since", "since is required: the time (RFC 3339) from which failed deliveries are sent again.");
        }

        if (!RequestRules.IsValidId(id, limits.Value) || await participants.GetAsync(id, ct).ConfigureAwait(false) is null)
        {
            return ApiProblems.Of(SessionErrors.AgentNotFound, $"Agent '{id}' does not exist.");
        }

        var limit = limits.Value.MaxPageSize;
        var failed = await deliveries.ListFailedSinceAsync(id, since, limit + 1, ct).ConfigureAwait(false);
        var requeued = new List<Guid>(Math.Min(failed.Count, limit));
        foreach (var delivery in failed.Take(limit))
        {
            if (await deliveries.RequeueAsync(delivery.Id, ct).ConfigureAwait(false) is not null)
            {
                await grains.GetGrain<IAgentDispatcherGrain>(delivery.SessionId).RedeliverAsync(delivery.Id).ConfigureAwait(false);
                requeued.Add(delivery.Id);
            }
        }

        return TypedResults.Accepted($"/api/agents/{id}/deliveries?status=pending", new RecoveredDeliveries(requeued.Count, requeued, failed.Count > limit));
    }
}
