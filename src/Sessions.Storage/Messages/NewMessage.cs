using System.Text.Json;

namespace Sessions.Storage.Messages;

/// <summary>A message to append; its <c>seq</c> is decided by the append (expected last seq + 1).</summary>
public sealed record NewMessage(
    Guid Id,
    string SessionId,
    string SenderId,
    string Kind,
    JsonElement Content,
    JsonElement? Metadata,
    string? ClientMessageId);
