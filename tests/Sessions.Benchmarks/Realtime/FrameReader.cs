using System.Text.Json;

namespace Sessions.Benchmarks.Realtime;

internal enum FrameKind
{
    Other,
    Message,
    Subscribed,
    Error,
}

/// <summary>What the benchmark needs of a server frame: its type, its seq, and the stamps the appender put in the content.</summary>
internal readonly record struct FrameInfo(FrameKind Kind, long Seq, long SentTicks, int Round);

/// <summary>
/// Reads just those fields, forward only, from the start of a frame (which may be only its first part): <c>type</c>
/// and <c>seq</c> at the top, <c>message.content.t</c> (the send time, <see cref="System.Diagnostics.Stopwatch"/>
/// ticks) and <c>message.content.r</c> (the round). The appender puts <c>t</c> and <c>r</c> first in the content, and
/// one-letter keys also come first in PostgreSQL's jsonb order, so they are near the start whatever the padding.
/// </summary>
internal static class FrameReader
{
    private const int None = 0, Type = 1, Seq = 2, Message = 3, Content = 4, SentTicks = 5, Round = 6;

    public static FrameInfo Read(ReadOnlySpan<byte> json, bool isFinalBlock)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock, default);
        Span<int> path = stackalloc int[4];
        var kind = FrameKind.Other;
        long seq = -1, sent = -1;
        var round = -1;
        try
        {
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                if (depth >= path.Length)
                {
                    continue;
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        path[depth] = depth switch
                        {
                            1 when reader.ValueTextEquals("type"u8) => Type,
                            1 when reader.ValueTextEquals("seq"u8) => Seq,
                            1 when reader.ValueTextEquals("message"u8) => Message,
                            2 when path[1] == Message && reader.ValueTextEquals("content"u8) => Content,
                            3 when path[2] == Content && reader.ValueTextEquals("t"u8) => SentTicks,
                            3 when path[2] == Content && reader.ValueTextEquals("r"u8) => Round,
                            _ => None,
                        };
                        break;
                    case JsonTokenType.String when depth == 1 && path[1] == Type:
                        kind = reader.ValueTextEquals("message"u8) ? FrameKind.Message
                            : reader.ValueTextEquals("subscribed"u8) ? FrameKind.Subscribed
                            : reader.ValueTextEquals("error"u8) ? FrameKind.Error
                            : FrameKind.Other;
                        if (kind != FrameKind.Message)
                        {
                            return new FrameInfo(kind, -1, -1, -1);
                        }

                        break;
                    case JsonTokenType.Number when depth == 1 && path[1] == Seq:
                        seq = reader.GetInt64();
                        break;
                    case JsonTokenType.Number when depth == 3 && path[2] == Content && path[3] == SentTicks:
                        sent = reader.GetInt64();
                        break;
                    case JsonTokenType.Number when depth == 3 && path[2] == Content && path[3] == Round:
                        round = reader.GetInt32();
                        break;
                }

                if (kind == FrameKind.Message && seq >= 0 && sent >= 0 && round >= 0)
                {
                    break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: an "Other" frame with whatever was found.
        }

        return new FrameInfo(kind, seq, sent, round);
    }
}
