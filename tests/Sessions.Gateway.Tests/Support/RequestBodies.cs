using System.Text;
using System.Text.Json;

namespace Sessions.Gateway.Tests;

/// <summary>Builds request bodies with a Utf8JsonWriter, so that arbitrary text is escaped correctly.</summary>
public static class RequestBodies
{
    public static string Message(string senderId, string text, string? clientMessageId = null, long? expectedSeq = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("sender_id", senderId);
            writer.WriteString("kind", "text");
            writer.WriteStartObject("content");
            writer.WriteString("text", text);
            writer.WriteEndObject();
            if (clientMessageId is not null)
            {
                writer.WriteString("client_message_id", clientMessageId);
            }

            if (expectedSeq is { } seq)
            {
                writer.WriteNumber("expected_seq", seq);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
