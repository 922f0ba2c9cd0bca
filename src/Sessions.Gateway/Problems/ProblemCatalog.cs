using Microsoft.AspNetCore.Http;
using Sessions.Abstractions;

namespace Sessions.Gateway.Problems;

/// <summary>The HTTP status and title of every problem code the API returns.</summary>
internal static class ProblemCatalog
{
    private static readonly Dictionary<string, (int Status, string Title)> Entries = new()
    {
        [SessionErrors.SessionNotFound] = (StatusCodes.Status404NotFound, "Session not found"),
        [SessionErrors.ParticipantNotFound] = (StatusCodes.Status422UnprocessableEntity, "Participant not found"),
        [SessionErrors.SessionAlreadyExists] = (StatusCodes.Status409Conflict, "Session already exists"),
        [SessionErrors.ParticipantAlreadyExists] = (StatusCodes.Status409Conflict, "Participant already exists"),
        [SessionErrors.SenderNotParticipant] = (StatusCodes.Status403Forbidden, "Sender is not a participant"),
        [SessionErrors.ParticipantNotInSession] = (StatusCodes.Status403Forbidden, "Participant is not in the session"),
        [SessionErrors.SeqConflict] = (StatusCodes.Status409Conflict, "Sequence conflict"),
        [SessionErrors.InvalidTransition] = (StatusCodes.Status409Conflict, "Invalid status transition"),
        [SessionErrors.SessionNotWritable] = (StatusCodes.Status409Conflict, "Session does not take messages"),
        [SessionErrors.Validation] = (StatusCodes.Status400BadRequest, "Invalid request"),
        [SessionErrors.ContentTooLarge] = (StatusCodes.Status413PayloadTooLarge, "Content too large"),
        [SessionErrors.ReplyNotFound] = (StatusCodes.Status404NotFound, "Reply not found"),
        [SessionErrors.ReplyEnded] = (StatusCodes.Status409Conflict, "Reply has ended"),
        [SessionErrors.NotReplyAuthor] = (StatusCodes.Status403Forbidden, "Not the reply's author"),
        [SessionErrors.ChunkConflict] = (StatusCodes.Status409Conflict, "Chunk out of order"),
        [SessionErrors.ReplyLimit] = (StatusCodes.Status409Conflict, "Reply limit reached"),
        [SessionErrors.AgentNotFound] = (StatusCodes.Status404NotFound, "Agent not found"),
        [SessionErrors.AgentExists] = (StatusCodes.Status409Conflict, "Agent already registered"),
        [SessionErrors.ParticipantNotAgent] = (StatusCodes.Status409Conflict, "Participant is not an agent"),
        [SessionErrors.DeliveryNotFound] = (StatusCodes.Status404NotFound, "Delivery not found"),
        [SessionErrors.SessionContended] = (StatusCodes.Status503ServiceUnavailable, "Session busy; the message was not stored, send it again"),
        [ProblemCodes.InvalidJson] = (StatusCodes.Status400BadRequest, "Malformed JSON"),
        [ProblemCodes.UnreadableBody] = (StatusCodes.Status400BadRequest, "Unreadable request body"),
        [ProblemCodes.PayloadTooLarge] = (StatusCodes.Status413PayloadTooLarge, "Request body too large"),
        [ProblemCodes.UnsupportedMediaType] = (StatusCodes.Status415UnsupportedMediaType, "Unsupported media type"),
        [ProblemCodes.NotFound] = (StatusCodes.Status404NotFound, "Not found"),
        [ProblemCodes.MethodNotAllowed] = (StatusCodes.Status405MethodNotAllowed, "Method not allowed"),
        [ProblemCodes.SiloUnavailable] = (StatusCodes.Status503ServiceUnavailable, "Service unavailable"),
        [ProblemCodes.CallInterrupted] = (StatusCodes.Status503ServiceUnavailable, "Interrupted; the request may or may not have taken effect"),
        [ProblemCodes.Timeout] = (StatusCodes.Status504GatewayTimeout, "Timed out"),
        [ProblemCodes.NotReady] = (StatusCodes.Status503ServiceUnavailable, "Not ready"),
        [ProblemCodes.Internal] = (StatusCodes.Status500InternalServerError, "Internal error"),
        [ProblemCodes.WebSocketRequired] = (StatusCodes.Status400BadRequest, "WebSocket upgrade required"),
        [ProblemCodes.TokenMissing] = (StatusCodes.Status401Unauthorized, "Bearer token required"),
        [ProblemCodes.TokenMalformed] = (StatusCodes.Status401Unauthorized, "Malformed bearer token"),
        [ProblemCodes.TokenUnknown] = (StatusCodes.Status401Unauthorized, "Unknown bearer token"),
        [ProblemCodes.TokenRevoked] = (StatusCodes.Status401Unauthorized, "Bearer token revoked"),
        [ProblemCodes.TokenExpired] = (StatusCodes.Status401Unauthorized, "Bearer token expired"),
        [ProblemCodes.AdminRequired] = (StatusCodes.Status403Forbidden, "Admin key required"),
        [ProblemCodes.NotCaller] = (StatusCodes.Status403Forbidden, "Not the caller"),
        [ProblemCodes.MetricsReaderRequired] = (StatusCodes.Status403Forbidden, "Admin key or system participant required"),
        [ProblemCodes.TokenNotFound] = (StatusCodes.Status404NotFound, "Token not found"),
        [ProblemCodes.RateLimited] = (StatusCodes.Status429TooManyRequests, "Too many requests"),
        [ProblemCodes.TooManyConnections] = (StatusCodes.Status429TooManyRequests, "Too many open connections"),
    };

    public static bool IsKnown(string code) => Entries.ContainsKey(code);

    public static int StatusOf(string code) => Entries[code].Status;

    public static string TitleOf(string code) => Entries[code].Title;

    /// <summary>The code for a status the framework produced on its own (an unmatched route, a bad request line...).</summary>
    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => ProblemCodes.TokenMissing,
        StatusCodes.Status403Forbidden => ProblemCodes.AdminRequired,
        StatusCodes.Status404NotFound => ProblemCodes.NotFound,
        StatusCodes.Status405MethodNotAllowed => ProblemCodes.MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => ProblemCodes.PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => ProblemCodes.UnsupportedMediaType,
        StatusCodes.Status503ServiceUnavailable => ProblemCodes.SiloUnavailable,
        StatusCodes.Status504GatewayTimeout => ProblemCodes.Timeout,
        >= 500 => ProblemCodes.Internal,
        _ => SessionErrors.Validation,
    };
}
