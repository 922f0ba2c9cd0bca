using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sessions.Testing.Webhooks;

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 for webhook tests: records every request it gets (headers, body, when) and
/// answers as <see cref="Behavior"/> says — a status, a delay past the caller's timeout, a dropped connection, JSON
/// reply messages or an NDJSON stream. The path's last segment names the agent, so one sink serves many agents.
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookSink(WebApplication app) => _app = app;

    /// <summary>How to answer a request (default: 200 with an empty body). Called once per request, concurrently.</summary>
    public Func<ReceivedWebhook, SinkAnswer> Behavior { get; set; } = _ => SinkAnswer.Ok();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
        });
        var app = builder.Build();
        var sink = new WebhookSink(app);
        app.MapPost("/agents/{agentId}", (string agentId, HttpContext context) => sink.HandleAsync(agentId, context));
        await app.StartAsync();
        sink.BaseAddress = new Uri(app.Urls.First());
        return sink;
    }

    /// <summary>The webhook URL of <paramref name="agentId"/> on this sink.</summary>
    public Uri UrlOf(string agentId) => new(BaseAddress, $"/agents/{Uri.EscapeDataString(agentId)}");

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(string agentId, HttpContext context)
    {
        var arrived = System.Diagnostics.Stopwatch.GetTimestamp();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = new ReceivedWebhook(
            agentId,
            context.Request.Headers["webhook-id"].ToString(),
            context.Request.Headers["webhook-timestamp"].ToString(),
            context.Request.Headers["webhook-signature"].ToString(),
            body.ToArray(),
            DateTimeOffset.UtcNow,
            arrived);
        _received.Enqueue(request);
        await Behavior(request).WriteAsync(context);
    }
}

/// <summary>One request the sink got; <paramref name="ReceivedTicks"/> is when its headers arrived, on the monotonic clock.</summary>
public sealed record ReceivedWebhook(string AgentId, string WebhookId, string Timestamp, string Signature, byte[] Body, DateTimeOffset ReceivedAt, long ReceivedTicks)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string SessionId => Json.GetProperty("session_id").GetString()!;

    /// <summary>The seqs of the delivery's new messages.</summary>
    public long[] Seqs => [.. Json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64())];
}

/// <summary>How the sink answers one request.</summary>
public abstract record SinkAnswer
{
    public static SinkAnswer Ok(string? json = null) => new Status(200, Json: json);

    public static SinkAnswer Fail(int status, string? retryAfter = null) => new Status(status, retryAfter);

    /// <summary>Waits (so a caller with a shorter timeout gives up), then answers 200.</summary>
    public static SinkAnswer Hang(TimeSpan delay) => new Delayed(delay);

    /// <summary>Answers 200 once <paramref name="signal"/> is released (the test decides when the delivery ends).</summary>
    public static SinkAnswer WaitFor(SemaphoreSlim signal) => new Gated(signal);

    /// <summary>Resets the connection without an answer.</summary>
    public static SinkAnswer Drop() => new Dropped();

    /// <summary>An NDJSON stream of chunks, one line each, <paramref name="gap"/> apart.</summary>
    public static SinkAnswer Stream(IReadOnlyList<string> chunks, TimeSpan gap) => new Ndjson(chunks, gap);

    internal abstract Task WriteAsync(HttpContext context);

    private sealed record Status(int Code, string? RetryAfter = null, string? Json = null) : SinkAnswer
    {
        internal override async Task WriteAsync(HttpContext context)
        {
            context.Response.StatusCode = Code;
            if (RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = RetryAfter;
            }

            if (Json is not null)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(Json, context.RequestAborted);
            }
        }
    }

    private sealed record Delayed(TimeSpan Delay) : SinkAnswer
    {
        internal override async Task WriteAsync(HttpContext context)
        {
            try
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            context.Response.StatusCode = 200;
        }
    }

    private sealed record Gated(SemaphoreSlim Signal) : SinkAnswer
    {
        internal override async Task WriteAsync(HttpContext context)
        {
            await Signal.WaitAsync(TimeSpan.FromSeconds(60), context.RequestAborted);
            context.Response.StatusCode = 200;
        }
    }

    private sealed record Dropped : SinkAnswer
    {
        internal override Task WriteAsync(HttpContext context)
        {
            context.Abort();
            return Task.CompletedTask;
        }
    }

    private sealed record Ndjson(IReadOnlyList<string> Chunks, TimeSpan Gap) : SinkAnswer
    {
        internal override async Task WriteAsync(HttpContext context)
        {
            context.Response.ContentType = "application/x-ndjson";
            foreach (var chunk in Chunks)
            {
                var line = JsonSerializer.Serialize(new Dictionary<string, string> { ["type"] = "chunk", ["text"] = chunk }) + "\n";
                await context.Response.WriteAsync(line, Encoding.UTF8, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(Gap, context.RequestAborted);
            }
        }
    }
}
