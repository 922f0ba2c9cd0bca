using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Calls;
using Sessions.Gateway.Problems;
using Sessions.Gateway.RateLimits;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// <c>GET /ws</c> (one WebSocket, many topics) and <c>GET /api/sessions/{id}/events</c> (Server-Sent Events of one
/// session). Both resume after a seq, exclusive, with no gap and no duplicate at the seam; see docs/realtime.md. They take
/// the bearer token from the query too (browsers cannot send headers there), and end a connection whose token is
/// revoked or expires (<see cref="ConnectionTokens"/>).
/// </summary>
public static partial class RealtimeEndpoints
{
    /// <summary>The reason a connection ends with when this silo shuts down: reconnect (to another silo) and resume.</summary>
    public const string ServerShutdown = "server-shutdown";

    // The reasons of connections the client ended: nobody is left to tell why.
    private const string ClientClosed = "client-closed";
    private const string ClientGone = "client-gone";

    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapRealtimeEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("ws", WebSocketAsync)
            .WithTags("Realtime")
            .AcceptsQueryAccessToken()
            .LimitedPerCaller(CallerLimit.Connects)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        routes.MapGet("api/sessions/{id}/events", SessionEventsAsync)
            .WithTags("Realtime")
            .RequireAuthorization(AuthPolicies.SessionMember)
            .AcceptsQueryAccessToken()
            .LimitedPerCaller(CallerLimit.Connects)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapGet("api/participants/{id}/inbox/events", InboxEventsAsync)
            .WithTags("Realtime")
            .RequireAuthorization(AuthPolicies.Self)
            .AcceptsQueryAccessToken()
            .LimitedPerCaller(CallerLimit.Connects)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    public static async Task WebSocketAsync(
        HttpContext context,
        [FromServices] RealtimeConnections connections,
        [FromServices] TopicSubscriptions subscriptions,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<RealtimeOptions> realtime,
        [FromServices] IOptions<LimitsOptions> limits,
        [FromServices] ConnectionTokens tokens,
        [FromServices] IHostApplicationLifetime lifetime,
        [FromServices] ILoggerFactory loggers,
        [FromServices] CallerLimits callerLimits,
        [FromServices] SessionMembers members)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiProblems.Of(ProblemCodes.WebSocketRequired, "GET /ws is a WebSocket endpoint: send an Upgrade: websocket request.")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var options = realtime.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
        }).ConfigureAwait(false);
        using var connection = connections.Open();
        using var watch = tokens.Watch(connection, context.User);
        using var stopping = lifetime.ApplicationStopping.Register(() => connection.End(ServerShutdown));
        using var reading = new CancellationTokenSource();
        var logger = loggers.CreateLogger(typeof(RealtimeEndpoints));
        var caller = CallerKey.Of(context);
        var client = new WebSocketConnection(socket, connection, subscriptions, calls, options, limits.Value, logger)
        {
            TryAppendPermit = () => callerLimits.Appends.AttemptAcquire(caller),
            Caller = Caller.From(context.User) ?? throw new InvalidOperationException("/ws requires an authenticated caller."),
            Members = members,
        };

        var writer = WriteUntilEndedAsync(connection, new WebSocketTransport(socket));
        var reader = ReadUntilClosedAsync(client, reading.Token);
        if (await Task.WhenAny(reader, writer).ConfigureAwait(false) == reader)
        {
            // The client closed, or broke a rule (the reason says which); the server answers with its close.
            var violation = await reader.ConfigureAwait(false);
            connection.End(violation?.Reason ?? ClientClosed);
            await writer.ConfigureAwait(false);
            await CloseAsync(socket, violation?.Status ?? WebSocketCloseStatus.NormalClosure, violation?.Reason ?? "").ConfigureAwait(false);
        }
        else
        {
            // The server ended it (slow consumer, shutdown, token revoked or expired): say why, then wait briefly for the client's close.
            var reason = connection.EndReason ?? "server-error";
            var status = reason == ServerShutdown ? WebSocketCloseStatus.EndpointUnavailable : WebSocketCloseStatus.PolicyViolation;
            await CloseAsync(socket, status, reason).ConfigureAwait(false);
            reading.CancelAfter(CloseHandshakeTimeout);
            await reader.ConfigureAwait(false);
        }

        LogClosed(logger, connection.EndReason ?? ClientClosed);
    }

    public static async Task SessionEventsAsync(
        string id,
        HttpContext context,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventIdHeader,
        [FromQuery(Name = "last_event_id")] string? lastEventIdQuery,
        [FromServices] RealtimeConnections connections,
        [FromServices] TopicSubscriptions subscriptions,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<RealtimeOptions> realtime,
        [FromServices] IOptions<LimitsOptions> limits,
        [FromServices] ConnectionTokens tokens,
        [FromServices] IHostApplicationLifetime lifetime)
    {
        // Browsers' EventSource sends Last-Event-ID itself on reconnects; the query parameter serves a first connect.
        var errors = new ValidationErrors();
        var field = lastEventIdHeader is not null ? "Last-Event-ID" : "last_event_id";
        var afterSeq = QueryValues.Seq(field, lastEventIdHeader ?? lastEventIdQuery, errors);
        if (errors.Any)
        {
            await ApiProblems.Validation(errors).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            await ApiProblems.SessionNotFound(id).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var connection = connections.Open();
        using var watch = tokens.Watch(connection, context.User);
        // Before the response starts: an unknown session is still a 404 problem (through the exception handler).
        var topic = await subscriptions.SubscribeAsync(connection, id, afterSeq).ConfigureAwait(false);
        try
        {
            await StreamAsync(context, connection, lifetime).ConfigureAwait(false);
        }
        finally
        {
            subscriptions.Unsubscribe(topic);
        }
    }

    /// <summary>
    /// The inbox of participant <paramref name="id"/> as Server-Sent Events: <c>inbox_snapshot</c> first (also after a
    /// reconnect: an inbox resumes from a fresh snapshot), then <c>inbox</c> deltas; each event's id is its version.
    /// </summary>
    public static async Task InboxEventsAsync(
        string id,
        HttpContext context,
        [FromServices] RealtimeConnections connections,
        [FromServices] TopicSubscriptions subscriptions,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<RealtimeOptions> realtime,
        [FromServices] IOptions<LimitsOptions> limits,
        [FromServices] ConnectionTokens tokens,
        [FromServices] IHostApplicationLifetime lifetime)
    {
        using var connection = connections.Open();
        using var watch = tokens.Watch(connection, context.User);
        InboxTopic topic;
        try
        {
            topic = RequestRules.IsValidId(id, limits.Value)
                ? await subscriptions.SubscribeInboxAsync(connection, id).ConfigureAwait(false)
                : throw new SessionException(SessionErrors.ParticipantNotFound, "");
        }
        catch (SessionException exception) when (exception.Code == SessionErrors.ParticipantNotFound)
        {
            await ApiProblems.Of(SessionErrors.ParticipantNotFound, $"Participant '{id}' does not exist.", status: StatusCodes.Status404NotFound)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await StreamAsync(context, connection, lifetime).ConfigureAwait(false);
        }
        finally
        {
            subscriptions.Unsubscribe(topic);
        }
    }

    private static async Task StreamAsync(HttpContext context, RealtimeConnection connection, IHostApplicationLifetime lifetime)
    {
        using var stopping = lifetime.ApplicationStopping.Register(() => connection.End(ServerShutdown));
        using var aborted = context.RequestAborted.Register(() => connection.End(ClientClosed));
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        var transport = new ServerSentEventsTransport(response);
        await WriteUntilEndedAsync(connection, transport).ConfigureAwait(false);

        // The server ended the stream: its last event says why (a stream has no close status to carry it).
        if (connection.EndReason is { } reason and not (ClientClosed or ClientGone) && !context.RequestAborted.IsCancellationRequested)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(CloseHandshakeTimeout);
            try
            {
                await transport.WriteCloseAsync(reason, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Runs the writer; however it stops (ended, or the client gone mid-write), the connection is ended.</summary>
    private static async Task WriteUntilEndedAsync(RealtimeConnection connection, IRealtimeTransport transport)
    {
        try
        {
            await connection.RunWriterAsync(transport).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            connection.End(ClientGone);
        }
    }

    private static async Task<(WebSocketCloseStatus Status, string Reason)?> ReadUntilClosedAsync(WebSocketConnection client, CancellationToken cancellationToken)
    {
        try
        {
            return await client.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
        {
            return null;
        }
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
        try
        {
            await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
        {
            socket.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string reason);
}
