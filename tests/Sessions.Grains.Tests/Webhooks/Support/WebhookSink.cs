using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sessions.Grains.Tests.Webhooks;

/// <summary>What a webhook receiver saw of one request.</summary>
internal sealed record ReceivedWebhook(string Path, IHeaderDictionary Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string Header(string name) => Headers[name].ToString();
}

/// <summary>
/// A real webhook receiver: Kestrel on 127.0.0.1 and a port of its own choosing. It records every request, then lets the
/// test answer it (<c>respond</c> gets the request's 0-based number, so a test can fail the first few and not the rest).
/// </summary>
internal sealed class WebhookSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();
    private WebApplication app = null!;
    private int count;

    public Uri Url { get; private set; } = null!;

    public int Port => Url.Port;

    public int Count => Volatile.Read(ref count);

    public IReadOnlyList<ReceivedWebhook> Received => [.. received];

    public static async Task<WebhookSink> StartAsync(Func<HttpContext, int, Task> respond)
    {
        var sink = new WebhookSink();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        sink.app = builder.Build();
        sink.app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = new HeaderDictionary(context.Request.Headers.ToDictionary(header => header.Key, header => header.Value));
            sink.received.Enqueue(new ReceivedWebhook(context.Request.Path, headers, body.ToArray()));
            await respond(context, Interlocked.Increment(ref sink.count) - 1);
        });
        await sink.app.StartAsync();
        var address = sink.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        sink.Url = new Uri(new Uri(address), "/hook");
        return sink;
    }

    /// <summary>Answers every request with <paramref name="status"/> and an optional JSON body.</summary>
    public static Task<WebhookSink> StartAsync(int status, string? json = null) => StartAsync(async (context, _) =>
    {
        context.Response.StatusCode = status;
        if (json is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        }
    });

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }
}
