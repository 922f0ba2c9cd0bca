using System.Text.Json;

namespace Sessions.Storage.Inbox;

/// <summary>
/// The last message of an <see cref="InboxRow"/>, enough for a preview. When the content's <c>text</c> is a string,
/// <see cref="Content"/> is <c>{"text": …}</c> with the text cut to the preview length the caller asked for (in code
/// points, so at least that many UTF-16 units), so a long message never travels whole; otherwise it is the content.
/// </summary>
public sealed record InboxRowMessage(
    string Id,
    long Seq,
    string SenderId,
    string Kind,
    JsonElement Content,
    DateTimeOffset CreatedAt);
