using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sessions.Grains;

/// <summary>The preview of a message in an inbox: its content's <c>text</c> if that is a string, else its content as compact JSON, cut short.</summary>
internal static class MessagePreview
{
    // The preview is data a client displays, not markup: only what JSON itself requires is escaped.
    private static readonly JsonWriterOptions CompactWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(JsonElement content, int maxLength) => Cut(
        content.ValueKind == JsonValueKind.Object && content.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()!
            : Compact(content),
        maxLength);

    /// <summary>The first <paramref name="maxLength"/> UTF-16 code units of <paramref name="text"/>, one fewer rather than half a surrogate pair.</summary>
    public static string Cut(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var length = Math.Max(0, maxLength);
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }

    private static string Compact(JsonElement content)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            content.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
