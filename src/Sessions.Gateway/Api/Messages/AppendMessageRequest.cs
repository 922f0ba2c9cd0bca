using System.Text.Json;

namespace Sessions.Gateway.Api.Messages;

/// <summary>
/// The body of <c>POST /api/sessions/{id}/messages</c>, as the OpenAPI document describes it. The handler does not
/// deserialize into it: the body is parsed once and mapped by <see cref="Requests.AppendRequests"/>, as a WebSocket
/// <c>send</c> frame is.
/// </summary>
public sealed class AppendMessageRequest
{
    public string? SenderId { get; init; }

    public string? Kind { get; init; }

    /// <summary>The message itself: a JSON object.</summary>
    public JsonElement? Content { get; init; }

    public JsonElement? Metadata { get; init; }

    /// <summary>Makes the append idempotent: a replay returns the original message.</summary>
    public string? ClientMessageId { get; init; }

    /// <summary>The session's last_seq the sender has seen; the append fails with 409 if the session moved on.</summary>
    public long? ExpectedSeq { get; init; }
}
