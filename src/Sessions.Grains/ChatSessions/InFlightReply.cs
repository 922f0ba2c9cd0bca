using System.Buffers;
using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>A streamed reply while it streams: its chunks, kept until it ends, and what housekeeping needs to know.</summary>
internal sealed class InFlightReply(string id, string sessionId, string senderId, string kind, JsonElement? metadata, DateTimeOffset startedAt)
{
    private readonly List<string> _chunks = [];

    public string Id { get; } = id;

    public string SenderId { get; } = senderId;

    public string Kind { get; } = kind;

    public JsonElement? Metadata { get; } = metadata;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public IReadOnlyList<string> Chunks => _chunks;

    /// <summary>The UTF-8 size of all chunks together.</summary>
    public int TextBytes { get; private set; }

    public DateTimeOffset LastActivity { get; private set; } = startedAt;

    /// <summary>How many chunks the last checkpoint saved.</summary>
    public int CheckpointedChunks { get; set; }

    public void Add(string chunk, int bytes, DateTimeOffset at)
    {
        _chunks.Add(chunk);
        TextBytes += bytes;
        LastActivity = at;
    }

    public string Text() => string.Concat(_chunks);

    public Reply ToReply() => new(Id, sessionId, SenderId, Kind, ReplyStatus.Streaming, [.. _chunks], Metadata, StartedAt, null, null, null);

    /// <summary>The content of the message a reply ends in when its author gave none: <c>{"text": all chunks}</c>.</summary>
    public static JsonElement TextContent(string text)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("text", text);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(json.WrittenMemory);
        return document.RootElement.Clone();
    }
}
