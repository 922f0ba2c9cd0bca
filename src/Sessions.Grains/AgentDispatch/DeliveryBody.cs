using System.Buffers;
using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// The JSON a webhook receives (documented with an example in docs/agents-and-delivery.md):
/// <c>{"type":"session.messages","delivery_id":…,"session_id":…,"agent_id":…,"messages":[…],"history":[…]}</c>, each
/// message as the HTTP API renders it. Written from the log, so every attempt of a delivery sends the same body.
/// </summary>
internal static class DeliveryBody
{
    public const string Type = "session.messages";

    public static byte[] Write(Guid deliveryId, string sessionId, string agentId, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ChatMessage> history)
    {
        var output = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteString("type", Type);
            w.WriteString("delivery_id", deliveryId);
            w.WriteString("session_id", sessionId);
            w.WriteString("agent_id", agentId);
            WriteMessages(w, "messages", messages);
            WriteMessages(w, "history", history);
            w.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static void WriteMessages(Utf8JsonWriter w, string name, IReadOnlyList<ChatMessage> messages)
    {
        w.WriteStartArray(name);
        foreach (var message in messages)
        {
            JsonSerializer.Serialize(w, message, SessionsJsonContext.Default.ChatMessage);
        }

        w.WriteEndArray();
    }
}
