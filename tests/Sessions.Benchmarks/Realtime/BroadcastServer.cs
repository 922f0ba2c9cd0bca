using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Sessions.Benchmarks.Realtime;

/// <summary>
/// The baseline: a plain broadcast server, what fan-out costs with nothing behind it. Kestrel with <c>GET /ws</c>
/// (the same <c>subscribe</c>/<c>subscribed</c>/<c>ping</c> frames as the gateway, any topic name is a group) and
/// <c>POST /api/sessions/{id}/messages</c>, which numbers the body within its group and writes one
/// <c>message</c> frame, built once, to every connection of the group: no Orleans, no database, no JSON parsing of
/// the body. Like the gateway, each connection has a bounded queue and one writer; a full queue drops the connection.
/// <c>POST /api/durable/{id}/messages</c> does the same after one INSERT of the body into PostgreSQL, committed (the
/// sessions' own database, same settings): what a durable append plus fan-out costs on this machine with nothing else.
/// It runs as its own process (<see cref="BroadcastServerProcess"/>), started from the benchmark's own assembly.
/// </summary>
internal static class BroadcastServer
{
    public const string Mode = "realtime-broadcast-server";
    public const string ListeningPrefix = "listening on ";
    public const string DatabaseVariable = "SESSIONS_BENCH_BASELINE_DATABASE";

    public static async Task RunAsync(string[] args)
    {
        var queueLength = args is ["--queue", var value] ? int.Parse(value, CultureInfo.InvariantCulture) : 1024;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        var groups = new ConcurrentDictionary<string, Group>(StringComparer.Ordinal);
        await using var database = NpgsqlDataSource.Create(Environment.GetEnvironmentVariable(DatabaseVariable)
            ?? throw new InvalidOperationException($"{DatabaseVariable} is not set."));
        await using (var create = database.CreateCommand(
            "create table if not exists bench_baseline_messages (id bigint generated always as identity primary key, topic text not null, body text not null, created_at timestamptz not null default now())"))
        {
            await create.ExecuteNonQueryAsync();
        }

        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15), KeepAliveTimeout = TimeSpan.FromSeconds(30) });
        app.Map("/ws", (HttpContext context) => ServeAsync(context, groups, queueLength));
        app.MapPost("/api/sessions/{id}/messages", (HttpContext context) => PublishAsync(context, groups, database: null));
        app.MapPost("/api/durable/{id}/messages", (HttpContext context) => PublishAsync(context, groups, database));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine(ListeningPrefix + address);

        // Until the benchmark, which holds our stdin, ends or dies.
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
    }

    private static async Task PublishAsync(HttpContext context, ConcurrentDictionary<string, Group> groups, NpgsqlDataSource? database)
    {
        var topic = "session:" + (string)context.Request.RouteValues["id"]!;
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (body.Length < 2 || !groups.TryGetValue(topic, out var group))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (database is not null)
        {
            await using var insert = database.CreateCommand("insert into bench_baseline_messages (topic, body) values ($1, $2)");
            insert.Parameters.Add(new NpgsqlParameter { Value = topic });
            insert.Parameters.Add(new NpgsqlParameter { Value = Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length) });
            await insert.ExecuteNonQueryAsync();
        }

        var seq = group.Publish(topic, body.GetBuffer().AsSpan(0, (int)body.Length));
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $$"""{"seq":{{seq}}}"""));
    }

    private static async Task ServeAsync(HttpContext context, ConcurrentDictionary<string, Group> groups, int queueLength)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(socket, queueLength);
        var joined = new List<Group>();
        var writer = connection.WriteAsync();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close || !result.EndOfMessage)
                {
                    break;
                }

                using var frame = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                var type = frame.RootElement.GetProperty("type").GetString();
                if (type == "subscribe" && frame.RootElement.GetProperty("topic").GetString() is { } topic)
                {
                    var group = groups.GetOrAdd(topic, _ => new Group());
                    joined.Add(group);
                    connection.Enqueue(group.Join(connection, topic));
                }
                else if (type == "ping")
                {
                    connection.Enqueue("""{"type":"pong"}"""u8.ToArray());
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or JsonException or KeyNotFoundException or IOException)
        {
        }
        finally
        {
            foreach (var group in joined)
            {
                group.Leave(connection);
            }

            connection.End();
            await writer;
        }
    }

    /// <summary>One topic's subscribers and its seq. Numbering and queueing happen under one lock, so every subscriber sees seq order.</summary>
    private sealed class Group
    {
        private readonly Lock _gate = new();
        private readonly List<Connection> _members = [];
        private long _seq;

        public byte[] Join(Connection connection, string topic)
        {
            lock (_gate)
            {
                _members.Add(connection);
                return Encoding.UTF8.GetBytes($$"""{"type":"subscribed","topic":"{{topic}}","last_seq":{{_seq}},"recovered":true}""");
            }
        }

        public void Leave(Connection connection)
        {
            lock (_gate)
            {
                _members.Remove(connection);
            }
        }

        /// <summary><c>{"type":"message","topic":…,"seq":N,"message":{"seq":N,"created_at":…,…the body's members}}</c> to every member.</summary>
        public long Publish(string topic, ReadOnlySpan<byte> body)
        {
            lock (_gate)
            {
                var seq = ++_seq;
                var output = new ArrayBufferWriter<byte>(body.Length + 160);
                using (var writer = new Utf8JsonWriter(output))
                {
                    writer.WriteStartObject();
                    writer.WriteString("type", "message");
                    writer.WriteString("topic", topic);
                    writer.WriteNumber("seq", seq);
                    writer.WritePropertyName("message");
                    var head = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"seq":{{seq}},"created_at":"{{DateTimeOffset.UtcNow:O}}",""")).AsSpan();
                    var message = new byte[head.Length + body.Length - 1];
                    head.CopyTo(message);
                    body[1..].CopyTo(message.AsSpan(head.Length));
                    writer.WriteRawValue(message, skipInputValidation: true);
                    writer.WriteEndObject();
                }

                var frame = output.WrittenSpan.ToArray();
                foreach (var member in _members)
                {
                    member.Enqueue(frame);
                }

                return seq;
            }
        }
    }

    /// <summary>A subscriber's bounded queue and its single writer.</summary>
    private sealed class Connection(WebSocket socket, int queueLength)
    {
        private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueLength) { SingleReader = true });

        public void Enqueue(byte[] frame)
        {
            if (!_queue.Writer.TryWrite(frame))
            {
                End();
                socket.Abort();
            }
        }

        public void End() => _queue.Writer.TryComplete();

        public async Task WriteAsync()
        {
            try
            {
                await foreach (var frame in _queue.Reader.ReadAllAsync())
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }
            catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }
}
