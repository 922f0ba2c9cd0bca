using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

internal static class Messages
{
    public static AppendMessageCommand Text(string sender, string text, string? clientMessageId = null, long? expectedSeq = null) =>
        new(sender, "text", JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["text"] = text }), null, clientMessageId, expectedSeq);

    public static string Text(this ChatMessage message) => message.Content.GetProperty("text").GetString()!;
}
