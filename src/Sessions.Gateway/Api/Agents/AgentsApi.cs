using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Calls;
using Sessions.Gateway.Problems;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Api.Agents;

/// <summary>
/// <c>/api/agents</c>: webhook registrations of agent participants, each answered by its agent's grain
/// (<see cref="IAgentGrain"/>), which holds every rule of a registration; listings by the agent directory. A secret is
/// shown twice only: in the 201 that created it and in the answer of the rotation that made it.
/// </summary>
public static class AgentsApi
{
    public static RouteGroupBuilder MapAgentsApi(this IEndpointRouteBuilder routes)
    {
        // Webhook URLs and secrets: for admin keys only.
        var api = routes.MapGroup("api/agents").WithTags("Agents").RequireAuthorization(AuthPolicies.Admin);
        api.MapPost("", CreateAsync)
            .Accepts<AgentRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesRequestProblems();
        api.MapGet("", ListAsync).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("{id}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("{id}", UpdateAsync)
            .Accepts<AgentRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesRequestProblems();
        api.MapDelete("{id}", DeleteAsync).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("{id}/secret/rotate", RotateSecretAsync)
            .Accepts<RotateSecretRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesRequestProblems();
        return api;
    }

    public static async Task<Results<Created<AgentResponse>, ProblemHttpResult>> CreateAsync(
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.AgentRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        // The grain is keyed by the id it checks, so a bad id is named with the body's other broken rules; only a blank
        // one, which Orleans keys no grain by, is refused here (by the same rule).
        var create = read.Value!;
        var id = create.Id ?? GeneratedIds.New();
        if (string.IsNullOrWhiteSpace(id))
        {
            return ApiProblems.Validation("id", $"id {IdRule.Describe(limits.Value)}.");
        }

        var registered = await calls.Get<IAgentGrain>(id).RegisterAsync(create.ToRegisterCommand()).ConfigureAwait(false);
        return TypedResults.Created(
            $"/api/agents/{Uri.EscapeDataString(id)}", AgentResponse.From(registered.Agent) with { Secret = registered.Secret });
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> GetAsync(
        string id,
        [FromServices] GrainCalls calls)
    {
        if (Find(calls, id) is not { } agent)
        {
            return NotFound(id);
        }

        return TypedResults.Ok(AgentResponse.From(await calls.RetrySafeAsync(agent.GetAsync).ConfigureAwait(false)));
    }

    public static async Task<Results<Ok<AgentList>, ProblemHttpResult>> ListAsync(
        string? limit,
        string? cursor,
        [FromServices] GrainCalls calls)
    {
        var query = new PageQuery(cursor, ContractValues.PageLimit(limit));
        var page = await calls.RetrySafeAsync(() => calls.Get<IAgentDirectoryGrain>(0).ListAsync(query)).ConfigureAwait(false);
        return TypedResults.Ok(new AgentList([.. page.Agents.Select(AgentResponse.From)], page.NextCursor));
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> UpdateAsync(
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.AgentRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        if (Find(calls, id) is not { } agent)
        {
            return NotFound(id);
        }

        // A PUT body may carry id and secret, which an update cannot change: the HTTP API's own rules, checked here.
        var change = read.Value!;
        var errors = new ValidationErrors();
        if (change.Id is not null && change.Id != id)
        {
            errors.Add("id", "id must be left out or be the id in the path: an agent's id does not change.");
        }

        if (change.Secret is not null)
        {
            errors.Add("secret", $"secret is not changed by PUT: rotate it with POST /api/agents/{id}/secret/rotate.");
        }

        if (errors.Any)
        {
            // An unknown agent is a 404 whatever the body says, as when the grain judges the body.
            await calls.RetrySafeAsync(agent.GetAsync).ConfigureAwait(false);
            return ApiProblems.Validation(errors);
        }

        var command = change.ToUpdateCommand();
        return TypedResults.Ok(AgentResponse.From(await calls.RetrySafeAsync(() => agent.UpdateAsync(command)).ConfigureAwait(false)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id,
        [FromServices] GrainCalls calls)
    {
        if (Find(calls, id) is not { } agent)
        {
            return NotFound(id);
        }

        await agent.DeleteAsync().ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<RotatedSecret>, ProblemHttpResult>> RotateSecretAsync(
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls)
    {
        string? given = null;

        // The body is optional: a bare POST asks for a generated secret.
        if (request.ContentLength > 0 || request.ContentType is not null || request.Headers.TransferEncoding.Count > 0)
        {
            var read = await body.ReadAsync(request, GatewayJsonContext.Default.RotateSecretRequest).ConfigureAwait(false);
            if (read.Problem is { } problem)
            {
                return problem;
            }

            given = read.Value!.Secret;
        }

        if (Find(calls, id) is not { } agent)
        {
            return NotFound(id);
        }

        return TypedResults.Ok(await agent.RotateSecretAsync(new RotateSecretCommand(given)).ConfigureAwait(false));
    }

    /// <summary>
    /// The grain of the agent in the path. The grain enforces the id rule; only a blank id, which Orleans keys no grain
    /// by (and no agent has), is not found here.
    /// </summary>
    private static IAgentGrain? Find(GrainCalls calls, string id) =>
        string.IsNullOrWhiteSpace(id) ? null : calls.Get<IAgentGrain>(id);

    private static ProblemHttpResult NotFound(string id) =>
        ApiProblems.Of(SessionErrors.AgentNotFound, $"No webhook is registered for agent '{id}'.");
}
