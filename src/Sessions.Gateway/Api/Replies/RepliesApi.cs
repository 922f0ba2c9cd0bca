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

namespace Sessions.Gateway.Api.Replies;

/// <summary>
/// <c>/api/sessions/{id}/replies</c>: streamed replies. A reply is opened, grows by chunks that subscribers receive
/// live, and is finished into one ordinary message, or stopped (aborted, its text so far kept as a message).
/// </summary>
public static class RepliesApi
{
    public static RouteGroupBuilder MapRepliesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/sessions/{id}/replies").WithTags("Replies").RequireAuthorization(AuthPolicies.SessionMember);
        api.MapPost("", StartAsync).Accepts<StartReplyRequest>("application/json").ProducesReplyProblems();
        api.MapGet("", ListAsync).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("{replyId}/chunks", AppendChunkAsync).Accepts<AppendChunkRequest>("application/json").ProducesReplyProblems();
        api.MapPost("{replyId}/finish", FinishAsync).Accepts<FinishReplyRequest>("application/json").ProducesReplyProblems();
        api.MapPost("{replyId}/stop", StopAsync).Accepts<StopReplyRequest>("application/json").ProducesReplyProblems();
        return api;
    }

    private static RouteHandlerBuilder ProducesReplyProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesRequestProblems();

    public static async Task<Results<Created<Reply>, ProblemHttpResult>> StartAsync(
        ClaimsPrincipal user,
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.StartReplyRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var start = read.Value!;
        var errors = new ValidationErrors()
            .RequiredText("sender_id", start.SenderId)
            .Id("reply_id", start.ReplyId, limits.Value)
            .Metadata("metadata", start.Metadata);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (CallerIdentity.NotCaller(user, "sender_id", start.SenderId) is { } notCaller)
        {
            return notCaller;
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        var command = new StartReplyCommand(start.SenderId!, start.ReplyId, start.Kind, RequestRules.NullIfJsonNull(start.Metadata));
        var reply = await calls.CallSessionAsync(id, command, grain => grain.StartReplyAsync(command)).ConfigureAwait(false);
        return TypedResults.Created($"/api/sessions/{id}/replies", reply);
    }

    public static async Task<Results<Ok<IReadOnlyList<Reply>>, ProblemHttpResult>> ListAsync(
        string id,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        return TypedResults.Ok(await calls.ReadSessionAsync(id, grain => grain.ListRepliesAsync()).ConfigureAwait(false));
    }

    public static async Task<Results<Ok<ChunkAck>, ProblemHttpResult>> AppendChunkAsync(
        ClaimsPrincipal user,
        string id,
        string replyId,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.AppendChunkRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var chunk = read.Value!;
        var errors = new ValidationErrors().RequiredText("sender_id", chunk.SenderId).RequiredText("text", chunk.Text);
        if (chunk.Index is < 0)
        {
            errors.Add("index", "index must not be negative.");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (CallerIdentity.NotCaller(user, "sender_id", chunk.SenderId) is { } notCaller)
        {
            return notCaller;
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        var command = new AppendChunkCommand(chunk.SenderId!, chunk.Text!, chunk.Index);
        return TypedResults.Ok(await calls.CallSessionAsync(id, command, grain => grain.AppendChunkAsync(replyId, command)).ConfigureAwait(false));
    }

    public static async Task<Results<Created<ChatMessage>, Ok<ChatMessage>, ProblemHttpResult>> FinishAsync(
        ClaimsPrincipal user,
        string id,
        string replyId,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.FinishReplyRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var finish = read.Value!;
        var content = RequestRules.NullIfJsonNull(finish.Content);
        var errors = new ValidationErrors().RequiredText("sender_id", finish.SenderId).Metadata("metadata", finish.Metadata);
        if (content is not null)
        {
            errors.JsonObject("content", content);
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (CallerIdentity.NotCaller(user, "sender_id", finish.SenderId) is { } notCaller)
        {
            return notCaller;
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        var command = new FinishReplyCommand(finish.SenderId!, content, RequestRules.NullIfJsonNull(finish.Metadata));
        var result = await calls.CallSessionAsync(id, command, grain => grain.FinishReplyAsync(replyId, command)).ConfigureAwait(false);
        return result.Created
            ? TypedResults.Created($"/api/sessions/{id}/messages?after_seq={result.Message.Seq - 1}&limit=1", result.Message)
            : TypedResults.Ok(result.Message);
    }

    public static async Task<Results<Ok<Reply>, ProblemHttpResult>> StopAsync(
        ClaimsPrincipal user,
        string id,
        string replyId,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadAsync(request, GatewayJsonContext.Default.StopReplyRequest).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var stop = read.Value!;
        var errors = new ValidationErrors().RequiredText("participant_id", stop.ParticipantId);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (CallerIdentity.NotCaller(user, "participant_id", stop.ParticipantId) is { } notCaller)
        {
            return notCaller;
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        var command = new StopReplyCommand(stop.ParticipantId!, stop.Reason);
        return TypedResults.Ok(await calls.CallSessionAsync(id, command, grain => grain.StopReplyAsync(replyId, command)).ConfigureAwait(false));
    }
}
