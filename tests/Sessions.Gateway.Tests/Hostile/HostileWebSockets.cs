using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Sessions.Gateway.Tests.Hostile.JsonMutations;

namespace Sessions.Gateway.Tests.Hostile;

/// <summary>What one hostile WebSocket connection did and what the server answered that it must not have.</summary>
public sealed record WebSocketOutcome(int Frames, IReadOnlyList<string> ServerErrors, string Ending);

/// <summary>
/// Hostile WebSocket clients of <c>/ws</c>: connection <c>i</c> sends a script generated from the seed and <c>i</c>:
/// valid frames of every type turned bad (<see cref="JsonMutations"/>), unknown types, invalid UTF-8, fragmented
/// garbage, and last, sometimes, a frame that ends the connection (binary, oversized) or an abrupt abort. A closing
/// ping proves every frame before it was handled; an error frame with a 5xx status, or a close with 1011, is a failure.
/// </summary>
public sealed class HostileWebSockets(int seed, AttackTargets targets, int maxFrameBytes)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public async Task<WebSocketOutcome> RunAsync(Uri baseAddress, int index)
    {
        var random = new Random(unchecked((seed * 7_000_003) + index));
        var scene = targets.Scenes[random.Next(targets.Scenes.Count)];
        using var timeout = new CancellationTokenSource(Deadline);
        using var socket = await HostileClient.ConnectWebSocketAsync(baseAddress, timeout.Token);
        var errors = new List<string>();
        var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiving = ReceiveAsync(socket, errors, pong, timeout.Token);
        var frames = random.Next(10, 50);
        var sent = 0;
        var labels = new List<string>();
        var ending = "closed by the client";
        try
        {
            for (; sent < frames && ending == "closed by the client"; sent++)
            {
                var frame = Frame(scene, random, index, sent);
                labels.Add(frame.Label);
                ending = await SendAsync(socket, frame, random, timeout.Token);
            }

            if (ending == "closed by the client")
            {
                await socket.SendAsync("{\"type\":\"ping\",\"id\":\"hostile-last\"}"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
                var first = await Task.WhenAny(pong.Task, receiving, Task.Delay(Deadline, timeout.Token));
                if (first == receiving && !pong.Task.IsCompleted)
                {
                    // The server ended the connection over an earlier frame (1007 for a text frame that is not UTF-8).
                    ending = $"closed by the server ({socket.CloseStatus})";
                }
                else if (first != pong.Task)
                {
                    lock (errors)
                    {
                        errors.Add($"no answer to a ping within {Deadline.TotalSeconds} s ({socket.State}) after: {string.Join(" | ", labels)}");
                    }

                    socket.Abort();
                    return new WebSocketOutcome(sent, [.. errors.Select(e => $"connection #{index}: {e}")], "hung");
                }
                else
                {
                    await pong.Task;
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException || (e is OperationCanceledException && !timeout.IsCancellationRequested) || socket.CloseStatus is not null)
        {
            // The server closed the connection after a frame that breaks the protocol (invalid UTF-8 in a text frame);
            // a send then fails, with a reset the client reports as a cancellation. Only a missed deadline is a hang.
            ending = $"closed by the server ({socket.CloseStatus} {socket.CloseStatusDescription})";
        }

        await receiving;
        lock (errors)
        {
            if (socket.CloseStatus == WebSocketCloseStatus.InternalServerError)
            {
                errors.Add($"closed with 1011 {socket.CloseStatusDescription}");
            }

            return new WebSocketOutcome(sent, [.. errors.Select(e => $"connection #{index} ({ending}): {e}")], ending);
        }
    }

    /// <summary>Sends one scripted frame; returns how the connection ends, or "closed by the client" while it goes on.</summary>
    private static async Task<string> SendAsync(ClientWebSocket socket, (byte[] Bytes, WebSocketMessageType Type, string Label) frame, Random random, CancellationToken ct)
    {
        var (bytes, type, label) = frame;
        switch (label)
        {
            case "abort":
                // Half a message and then a reset: the server must let go of the connection cleanly.
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: false, ct);
                socket.Abort();
                return "aborted mid-message";
            case "fragmented":
                var cut = random.Next(bytes.Length + 1);
                await socket.SendAsync(bytes.AsMemory(0, cut), WebSocketMessageType.Text, endOfMessage: false, ct);
                await socket.SendAsync(bytes.AsMemory(cut), WebSocketMessageType.Text, endOfMessage: true, ct);
                return "closed by the client";
            case "binary" or "oversized":
                await socket.SendAsync(bytes, type, endOfMessage: true, ct);
                return $"{label} frame";
            default:
                await socket.SendAsync(bytes, type, endOfMessage: true, ct);
                return "closed by the client";
        }
    }

    private static async Task ReceiveAsync(ClientWebSocket socket, List<string> errors, TaskCompletionSource pong, CancellationToken ct)
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (!result.EndOfMessage)
                {
                    // Longer than any answer to these frames can be (a replayed message at most): not an error frame.
                    while (!(await socket.ReceiveAsync(buffer.AsMemory(), ct)).EndOfMessage)
                    {
                    }

                    continue;
                }

                using var frame = JsonDocument.Parse(buffer.AsMemory(0, length));
                var root = frame.RootElement;
                var type = root.GetProperty("type").GetString();
                if (type == "pong" && root.TryGetProperty("id", out var id) && id.GetString() == "hostile-last")
                {
                    pong.TrySetResult();
                }
                else if (type == "error" && root.TryGetProperty("status", out var status) && status.GetInt32() >= 500)
                {
                    lock (errors)
                    {
                        errors.Add(Encoding.UTF8.GetString(buffer, 0, Math.Min(length, 400)));
                    }
                }
            }
        }
        catch (WebSocketException)
        {
            // The connection was aborted (by this client, or by the server after a frame that ends it).
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested || socket.State == WebSocketState.Aborted)
        {
        }
        catch (Exception e)
        {
            // Whatever else went wrong reading is the run's failure, not a silent wait for the last pong.
            pong.TrySetException(e);
        }
    }

    /// <summary>The next frame of a script: its bytes, message type, and a label (abort and fragmented are acted out).</summary>
    private (byte[] Bytes, WebSocketMessageType Type, string Label) Frame(HostileScene scene, Random random, int index, int serial)
    {
        var template = Template(scene, random, index, serial);
        switch (random.Next(40))
        {
            case 0:
                return (Serialize(template), WebSocketMessageType.Binary, "binary");
            case 1:
                template["content"] = new JsonObject { ["text"] = new string('w', maxFrameBytes + random.Next(1, 100_000)) };
                return (Serialize(template), WebSocketMessageType.Text, "oversized");
            case 2:
                return (Serialize(template), WebSocketMessageType.Text, "abort");
            case 3 or 4:
                return (Mutate(template, random).Bytes, WebSocketMessageType.Text, "fragmented");
            case 5:
                // Valid frames too: subscriptions and sends that succeed make later bad frames meet live state.
                return (Serialize(template), WebSocketMessageType.Text, "valid");
            default:
                var (bytes, label) = Mutate(template, random);
                return (bytes.Length > maxFrameBytes ? bytes[..maxFrameBytes] : bytes, WebSocketMessageType.Text, label);
        }
    }

    private static JsonObject Template(HostileScene scene, Random random, int index, int serial)
    {
        var id = $"f{serial}";
        var member = Pick(random, scene.Initiator, scene.Peer);
        return random.Next(8) switch
        {
            0 => new JsonObject { ["type"] = "subscribe", ["id"] = id, ["topic"] = $"session:{scene.SessionId}", ["after_seq"] = random.Next(0, 3), ["participant_id"] = member },
            1 => new JsonObject { ["type"] = "subscribe", ["id"] = id, ["topic"] = $"inbox:{member}" },
            2 => new JsonObject { ["type"] = "unsubscribe", ["id"] = id, ["topic"] = Pick(random, $"session:{scene.SessionId}", $"inbox:{member}") },
            3 => new JsonObject { ["type"] = "ping", ["id"] = id },
            4 => new JsonObject { ["type"] = "typing", ["id"] = id, ["session_id"] = scene.SessionId, ["participant_id"] = member, ["typing"] = true },
            5 => new JsonObject { ["type"] = "presence", ["id"] = id, ["session_id"] = scene.SessionId, ["participant_id"] = member },
            6 => new JsonObject { ["type"] = Pick(random, "nope", "", "SEND", "subscribe ", "\u0000"), ["id"] = id },
            _ => new JsonObject
            {
                ["type"] = "send", ["id"] = id, ["session_id"] = scene.SessionId, ["sender_id"] = member, ["kind"] = "text",
                ["content"] = new JsonObject { ["text"] = "ws" }, ["client_message_id"] = $"ws-{index}-{serial}",
            },
        };
    }
}
