using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Sessions.Abstractions;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Realtime;

/// <summary>The server's frames, as JSON objects with a <c>type</c>; see docs/realtime.md for each.</summary>
internal static class Frames
{
    public static ControlFrame Subscribed(string topic, long? afterSeq, long lastSeq, string? notRecoveredReason) =>
        Control("subscribed", w =>
        {
            w.WriteString("topic", topic);
            if (afterSeq is { } after)
            {
                w.WriteNumber("after_seq", after);
            }
            else
            {
                w.WriteNull("after_seq");
            }

            w.WriteNumber("last_seq", lastSeq);
            w.WriteBoolean("recovered", notRecoveredReason is null);
            if (notRecoveredReason is not null)
            {
                w.WriteString("reason", notRecoveredReason);
            }
        });

    public static ControlFrame InboxSubscribed(string topic, long version) =>
        Control("subscribed", w =>
        {
            w.WriteString("topic", topic);
            w.WriteNumber("version", version);
        });

    /// <summary><c>{"type":"inbox_snapshot","topic":…,"version":…,"sessions":[…],"next_cursor":…}</c>, the version as its SSE id.</summary>
    public static ControlFrame InboxSnapshot(string topic, InboxSnapshot snapshot) =>
        Control("inbox_snapshot", w =>
        {
            w.WriteString("topic", topic);
            w.WriteNumber("version", snapshot.Version);
            w.WritePropertyName("sessions");
            JsonSerializer.Serialize(w, snapshot.Sessions, SessionsJsonContext.Default.IReadOnlyListInboxEntry);
            w.WriteString("next_cursor", snapshot.NextCursor);
        }) with { Id = snapshot.Version.ToString(CultureInfo.InvariantCulture) };

    /// <summary><c>{"type":"inbox","topic":…,"version":…,"entry":{…}}</c>: one session's entry as it is now.</summary>
    public static ControlFrame InboxDelta(string topic, InboxDelta delta) =>
        Control("inbox", w =>
        {
            w.WriteString("topic", topic);
            w.WriteNumber("version", delta.Version);
            w.WritePropertyName("entry");
            JsonSerializer.Serialize(w, delta.Entry, SessionsJsonContext.Default.InboxEntry);
        }) with { Id = delta.Version.ToString(CultureInfo.InvariantCulture) };

    public static ControlFrame Unsubscribed(string topic) => Control("unsubscribed", w => w.WriteString("topic", topic));

    /// <summary><c>{"type":"close","reason":…}</c>: why the server ends an event stream (WebSockets say it in their close).</summary>
    public static ControlFrame Close(string reason) => Control("close", w => w.WriteString("reason", reason));

    public static ControlFrame Pong(string? id) => Control("pong", w => WriteRef(w, "id", id));

    public static ControlFrame Ack(string? requestId, long seq, string messageId, string? clientMessageId, bool created, string sessionId) =>
        Control("ack", w =>
        {
            WriteRef(w, "id", requestId);
            w.WriteString("session_id", sessionId);
            w.WriteNumber("seq", seq);
            w.WriteString("message_id", messageId);
            w.WriteString("client_message_id", clientMessageId);
            w.WriteBoolean("created", created);
        });

    public static ControlFrame Error(string? requestId, string code, string detail, int status, IEnumerable<KeyValuePair<string, string>>? extensions = null) =>
        Control("error", w =>
        {
            WriteRef(w, "id", requestId);
            w.WriteString("code", code);
            w.WriteNumber("status", status);
            w.WriteString("detail", detail);
            foreach (var (key, value) in extensions ?? [])
            {
                w.WriteString(key, value);
            }
        });

    /// <summary>A <c>send</c> over the caller's append limit: the HTTP 429's code, with <c>retry_after</c> in seconds.</summary>
    public static ControlFrame RateLimited(string? requestId, int retryAfterSeconds) =>
        Control("error", w =>
        {
            WriteRef(w, "id", requestId);
            w.WriteString("code", ProblemCodes.RateLimited);
            w.WriteNumber("status", StatusCodes.Status429TooManyRequests);
            w.WriteString("detail", "Too many messages from this caller; wait and send again.");
            w.WriteNumber("retry_after", retryAfterSeconds);
        });

    public static readonly ControlFrame Heartbeat = Control("heartbeat", _ => { });

    /// <summary><c>{"type":"message","topic":…,"seq":…,"message":{…}}</c>, the message's JSON copied in as it is.</summary>
    public static void WriteMessage(IBufferWriter<byte> output, string topic, long seq, ReadOnlySpan<byte> messageJson)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteString("topic", topic);
        w.WriteNumber("seq", seq);
        w.WritePropertyName("message");
        w.WriteRawValue(messageJson, skipInputValidation: true);
        w.WriteEndObject();
    }

    /// <summary><c>{"type":…,"topic":…,"{property}":{…}}</c>, e.g. <c>{"type":"status","topic":…,"session":{…}}</c>.</summary>
    public static void WriteEvent(IBufferWriter<byte> output, string type, string topic, string property, ReadOnlySpan<byte> payloadJson)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteString("topic", topic);
        w.WritePropertyName(property);
        w.WriteRawValue(payloadJson, skipInputValidation: true);
        w.WriteEndObject();
    }

    /// <summary>A reply chunk's payload: <c>{"reply_id":…,"index":…,"text":…}</c> (as the grain writes it for live chunks).</summary>
    public static byte[] Chunk(string replyId, int index, string text)
    {
        var output = new ArrayBufferWriter<byte>(64 + text.Length);
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteString("reply_id", replyId);
            w.WriteNumber("index", index);
            w.WriteString("text", text);
            w.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static void WriteRef(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static ControlFrame Control(string type, Action<Utf8JsonWriter> body)
    {
        var output = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            body(w);
            w.WriteEndObject();
        }

        return new ControlFrame(type, output.WrittenSpan.ToArray());
    }
}
