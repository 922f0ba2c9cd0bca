using System.Buffers;
using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// Writes a <see cref="MessagePage"/> as JSON from messages already serialized in the tail cache, byte-for-byte
/// what <see cref="SessionsJsonContext"/> would write for the page (a test holds it to that).
/// </summary>
internal static class MessagePageWriter
{
    private static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
    private static readonly JsonEncodedText NextAfterSeq = JsonEncodedText.Encode("next_after_seq");
    private static readonly JsonEncodedText NextBeforeSeq = JsonEncodedText.Encode("next_before_seq");

    public static byte[] Write(IReadOnlyList<CachedMessage> messages, long? nextAfterSeq, long? nextBeforeSeq)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + messages.Sum(m => m.Json.Length + 1));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(Messages);
            foreach (var message in messages)
            {
                writer.WriteRawValue(message.Json, skipInputValidation: true);
            }

            writer.WriteEndArray();
            WriteNullableNumber(writer, NextAfterSeq, nextAfterSeq);
            WriteNullableNumber(writer, NextBeforeSeq, nextBeforeSeq);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullableNumber(Utf8JsonWriter writer, JsonEncodedText name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
