using System.Text.Json;

namespace Sessions.Gateway.Api.Replies;

/// <summary>The body of <c>POST /api/sessions/{id}/replies</c>.</summary>
public sealed class StartReplyRequest
{
    public string? SenderId { get; init; }

    /// <summary>The author's id for the reply; makes the start idempotent. Generated when absent.</summary>
    public string? ReplyId { get; init; }

    /// <summary>The kind of the message the reply ends in; <c>text</c> when absent.</summary>
    public string? Kind { get; init; }

    public JsonElement? Metadata { get; init; }
}

/// <summary>The body of <c>POST /api/sessions/{id}/replies/{reply_id}/chunks</c>.</summary>
public sealed class AppendChunkRequest
{
    public string? SenderId { get; init; }

    public string? Text { get; init; }

    /// <summary>The chunk's place (0, 1, 2, …); makes it idempotent. The next place when absent.</summary>
    public int? Index { get; init; }
}

/// <summary>The body of <c>POST /api/sessions/{id}/replies/{reply_id}/finish</c>.</summary>
public sealed class FinishReplyRequest
{
    public string? SenderId { get; init; }

    /// <summary>The message's content; <c>{"text": all chunks}</c> when absent.</summary>
    public JsonElement? Content { get; init; }

    public JsonElement? Metadata { get; init; }
}

/// <summary>The body of <c>POST /api/sessions/{id}/replies/{reply_id}/stop</c>.</summary>
public sealed class StopReplyRequest
{
    public string? ParticipantId { get; init; }

    public string? Reason { get; init; }
}
