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
using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;
using Sessions.Storage.Paging;

namespace Sessions.Gateway.Api.Agents;

/// <summary>
/// <c>/api/agents</c>: webhook registrations of agent participants, written straight to their store. A secret is shown
/// twice only: in the 201 that created it and in the answer of the rotation that made it.
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
        [FromServices] AgentStore agents,
        [FromServices] WebhookUrlCheck urls,
        [FromServices] IOptions<LimitsOptions> limits,
        [FromServices] IOptions<WebhookOptions> webhooks,
        CancellationToken ct)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.AgentRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var create = read.Value!;
        var errors = new ValidationErrors().Id("id", create.Id, limits.Value).RequiredText("url", create.Url);
        AgentRules.CheckSecret(create.Secret, errors);
        var update = AgentRules.ReadUpdate(create, webhooks.Value, errors);
        var settings = AgentRules.Apply(new AgentSettings(), update);
        AgentRules.CheckDelays(settings, webhooks.Value, errors);
        await urls.AddRefusalAsync(create.Url, errors, ct).ConfigureAwait(false);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var id = create.Id ?? GeneratedIds.New();
        var secret = create.Secret ?? WebhookSecret.Generate();
        var (status, reason) = update.Status.IsSet ? update.Status.Value : (AgentStatus.Enabled, null);
        var outcome = await agents.CreateAsync(new NewAgent(id, create.Url!, secret, settings, status, reason), ct).ConfigureAwait(false);
        return outcome switch
        {
            AgentCreateOutcome.Created created => TypedResults.Created(
                $"/api/agents/{Uri.EscapeDataString(id)}", AgentResponse.From(created.Agent, webhooks.Value) with { Secret = secret }),
            AgentCreateOutcome.ParticipantNotAgent other => ApiProblems.Of(SessionErrors.ParticipantNotAgent,
                $"Participant '{id}' is a {ParticipantKindText(other.Kind)}, not an agent: only agents have webhooks."),
            _ => ApiProblems.Of(SessionErrors.AgentExists,
                $"Agent '{id}' already has a webhook registration; change it with PUT /api/agents/{id}."),
        };
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> GetAsync(
        string id,
        [FromServices] AgentStore agents,
        [FromServices] IOptions<LimitsOptions> limits,
        [FromServices] IOptions<WebhookOptions> webhooks,
        CancellationToken ct)
    {
        var agent = await FindAsync(id, agents, limits.Value, ct).ConfigureAwait(false);
        return agent is null ? NotFound(id) : TypedResults.Ok(AgentResponse.From(agent, webhooks.Value));
    }

    public static async Task<Results<Ok<AgentList>, ProblemHttpResult>> ListAsync(
        string? limit,
        string? cursor,
        [FromServices] AgentStore agents,
        [FromServices] IOptions<LimitsOptions> limits,
        [FromServices] IOptions<WebhookOptions> webhooks,
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
            var page = await agents.ListAsync(pageSize, cursor, ct).ConfigureAwait(false);
            return TypedResults.Ok(new AgentList([.. page.Agents.Select(agent => AgentResponse.From(agent, webhooks.Value))], page.NextCursor));
        }
        catch (InvalidCursorException e)
        {
            return ApiProblems.Validation("cursor", e.Message);
        }
    }

    public static async Task<Results<Ok<AgentResponse>, ProblemHttpResult>> UpdateAsync(
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] AgentStore agents,
        [FromServices] WebhookUrlCheck urls,
        [FromServices] IOptions<LimitsOptions> limits,
        [FromServices] IOptions<WebhookOptions> webhooks,
        CancellationToken ct)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.AgentRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var current = await FindAsync(id, agents, limits.Value, ct).ConfigureAwait(false);
        if (current is null)
        {
            return NotFound(id);
        }

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

        if (change.Url is { Length: 0 })
        {
            errors.Add("url", "url must not be empty.");
        }

        var update = AgentRules.ReadUpdate(change, webhooks.Value, errors);
        AgentRules.CheckDelays(AgentRules.Apply(current.Settings, update), webhooks.Value, errors);
        await urls.AddRefusalAsync(change.Url, errors, ct).ConfigureAwait(false);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        var updated = await agents.UpdateAsync(id, update with { Url = change.Url is null ? default : Change<string>.To(change.Url) }, ct)
            .ConfigureAwait(false);
        return updated is null ? NotFound(id) : TypedResults.Ok(AgentResponse.From(updated, webhooks.Value));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id,
        [FromServices] AgentStore agents,
        [FromServices] IOptions<LimitsOptions> limits,
        CancellationToken ct)
    {
        var deleted = RequestRules.IsValidId(id, limits.Value) && await agents.DeleteAsync(id, ct).ConfigureAwait(false);
        return deleted ? TypedResults.NoContent() : NotFound(id);
    }

    public static async Task<Results<Ok<RotatedSecret>, ProblemHttpResult>> RotateSecretAsync(
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] AgentStore agents,
        [FromServices] TimeProvider clock,
        [FromServices] IOptions<LimitsOptions> limits,
        [FromServices] IOptions<WebhookOptions> webhooks,
        CancellationToken ct)
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
            var errors = new ValidationErrors();
            AgentRules.CheckSecret(given, errors);
            if (errors.Any)
            {
                return ApiProblems.Validation(errors);
            }
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return NotFound(id);
        }

        var secret = given ?? WebhookSecret.Generate();
        var graceUntil = clock.GetUtcNow() + webhooks.Value.SecretRotationGrace;
        var rotated = await agents.RotateSecretAsync(id, secret, graceUntil, ct).ConfigureAwait(false);
        return rotated is null ? NotFound(id) : TypedResults.Ok(new RotatedSecret(secret, rotated.PreviousSecretExpiresAt!.Value));
    }

    private static async Task<AgentRow?> FindAsync(string id, AgentStore agents, LimitsOptions limits, CancellationToken ct) =>
        RequestRules.IsValidId(id, limits) ? await agents.GetAsync(id, ct).ConfigureAwait(false) : null;

    private static ProblemHttpResult NotFound(string id) =>
        ApiProblems.Of(SessionErrors.AgentNotFound, $"No webhook is registered for agent '{id}'.");

    private static string ParticipantKindText(ParticipantKind kind) => kind switch
    {
        ParticipantKind.Human => "human",
        ParticipantKind.System => "system participant",
        _ => kind.ToString(),
    };
}
