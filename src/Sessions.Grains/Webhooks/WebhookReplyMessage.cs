using System.Text.Json;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// A whole message an agent sent back in its webhook response, to be appended to the session as sent by the agent.
/// Only its shape is checked here (kind a non-empty string, content an object, metadata an object or absent); the
/// session grain applies its own limits when it appends.
/// </summary>
public sealed record WebhookReplyMessage(string Kind, JsonElement Content, JsonElement? Metadata);
