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
using Sessions.Gateway.RateLimits;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Api.Messages;

/// <summary>
/// <c>/api/sessions/{id}/messages</c>: appends and pages of a session's log, both answered by the session's grain.
/// An append is acknowledged (201) only after the grain committed it; a replayed client_message_id is a 200 with
/// the original message.
/// </summary>
public static class MessagesApi
{
    public static RouteGroupBuilder MapMessagesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/sessions/{id}/messages").WithTags("Messages").RequireAuthorization(AuthPolicies.SessionMember);
        api.MapPost("", AppendAsync)
            .Accepts<AppendMessageRequest>("application/json")
            .Produces<ChatMessage>(StatusCodes.Status201Created, "application/json")
            .Produces<ChatMessage>(StatusCodes.Status200OK, "application/json")
            .LimitedPerCaller(CallerLimit.Appends)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesRequestProblems();
        api.MapGet("", ListAsync)
            .Produces<MessagePage>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>
    /// One parse of the body (<see cref="JsonRequestBody.ReadObjectAsync"/>), the request's shape mapped to the command
    /// as a WebSocket <c>send</c> is (<see cref="AppendRequests"/>), and the message's rules left to the grain, which
    /// answers with the stored message's JSON from its tail cache: passed on as bytes, never serialized here.
    /// </summary>
    /// <remarks>
    /// An append's JSON, pass by pass (the session's grain in this silo):
    /// <list type="number">
    /// <item>gateway: one parse of the body into a <see cref="System.Text.Json.JsonElement"/>, then two vectorized byte
    /// scans (UTF-8, backslashes), not a second reading of its tokens;</item>
    /// <item>grain: one reader pass over content and metadata, the only check of their rules (<c>MessageValidator</c>);</item>
    /// <item>storage: content and metadata sent as text; the stored, normalized text read back and parsed once;</item>
    /// <item>tail cache: one serialization of the stored message, shared by the observers' event, this answer and pages.</item>
    /// </list>
    /// Before, the body was read token by token for well-formedness, then deserialized (which reads content twice: it
    /// skips over it, then parses the copy), the metadata serialized again to measure it, the grain read content and
    /// metadata once more, and the stored message was serialized twice: for the tail cache and for the 201.
    /// </remarks>
    public static async Task<Results<MessageJsonResult, ProblemHttpResult>> AppendAsync(
        ClaimsPrincipal user,
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var read = await body.ReadObjectAsync(request).ConfigureAwait(false);
        if (read.Problem is { } problem)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        if (AppendRequests.ToCommand(read.Value, errors) is not { } command)
        {
            return ApiProblems.Validation(errors);
        }

        if (CallerIdentity.NotCaller(user, "sender_id", command.SenderId) is { } notCaller)
        {
            return notCaller;
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        var result = await calls.AppendJsonAsync(id, command).ConfigureAwait(false);
        // There is no route per message; the page that starts at the message is where it can be read back.
        return result.Created
            ? MessageJsonResult.Created($"/api/sessions/{id}/messages?after_seq={result.Seq - 1}&limit=1", result.Utf8Json)
            : MessageJsonResult.Ok(result.Utf8Json);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ListAsync(
        string id,
        [FromQuery(Name = "after_seq")] string? afterSeq,
        [FromQuery(Name = "before_seq")] string? beforeSeq,
        string? limit,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var errors = new ValidationErrors();
        var after = QueryValues.Seq("after_seq", afterSeq, errors);
        var before = QueryValues.Seq("before_seq", beforeSeq, errors);
        var pageSize = QueryValues.Limit(limit, limits.Value, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.SessionNotFound(id);
        }

        // The grain answers with the page's JSON (mostly bytes its tail cache already holds): passed on unparsed.
        var query = new MessageQuery(after, before, pageSize);
        var page = await calls.ReadSessionAsync(id, grain => grain.ListMessagesJsonAsync(query)).ConfigureAwait(false);
        return TypedResults.Bytes(page.Utf8Json, "application/json");
    }
}
