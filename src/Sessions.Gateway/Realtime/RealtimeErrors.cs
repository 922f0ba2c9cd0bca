using Microsoft.AspNetCore.Http;
using Sessions.Abstractions;
using Sessions.Client;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// Realtime frames' own error codes, and the <c>error</c> frame for what a grain call ended in: the same codes and
/// statuses as the HTTP API's problems.
/// </summary>
internal static class RealtimeErrors
{
    public const string InvalidFrame = "invalid-frame";
    public const string UnknownType = "unknown-type";
    public const string UnknownTopic = "unknown-topic";
    public const string AlreadySubscribed = "already-subscribed";
    public const string NotSubscribed = "not-subscribed";
    public const string TooManySubscriptions = "too-many-subscriptions";

    public static ControlFrame Invalid(string? id, string field, string detail) =>
        Frames.Error(id, SessionErrors.Validation, detail, StatusCodes.Status400BadRequest, [new(SessionErrors.FieldDetail, field)]);

    /// <summary>The frame for an exception of a grain call, or null for one that is a fault of ours (the caller logs it).</summary>
    public static ControlFrame? FromException(string? id, Exception exception) => exception switch
    {
        SessionException refusal when ApiProblems.IsMapped(refusal) =>
            Frames.Error(id, refusal.Code, refusal.Message, ProblemCatalog.StatusOf(refusal.Code), refusal.Details),
        TimeoutException => Frames.Error(id, ProblemCodes.Timeout, "The session did not answer in time; the request may or may not have taken effect.", StatusCodes.Status504GatewayTimeout),
        _ when SiloFailures.Is(exception) => Frames.Error(
            id,
            ProblemCodes.CallInterrupted,
            "A silo failed while handling the request; it may or may not have taken effect. Send it again (a message is safe to resend with its client_message_id).",
            StatusCodes.Status503ServiceUnavailable),
        _ => null,
    };
}
