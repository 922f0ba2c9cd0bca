using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// Sends one attempt of one webhook delivery and classifies what came back (<see cref="WebhookAttemptOutcome"/>). It never
/// retries or waits by itself: the dispatcher grain schedules the next attempt on a timer or reminder, using
/// <see cref="WebhookRetryPolicy"/>. Every attempt passes through a Polly pipeline kept per agent: a circuit breaker
/// (<see cref="WebhookCircuitBreakerOptions"/>) around a timeout that bounds the whole attempt. One HttpClient serves all
/// agents; its handler connects only to addresses the <see cref="WebhookAddressPolicy"/> allows, follows no redirects,
/// and uses no proxy, no cookies and no decompression (the response bound counts the bytes on the wire).
/// A singleton: register it with <see cref="WebhookServiceCollectionExtensions.AddWebhookSender"/>.
/// </summary>
public sealed partial class WebhookSender : IDisposable
{
    public const string UserAgent = "Sessions-Webhooks/1.0 (+https://www.standardwebhooks.com)";

    private static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeout = new("Sessions.Webhooks.AttemptTimeout");

    private readonly WebhookOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly HttpClient client;
    private readonly ResiliencePipelineRegistry<string> pipelines = new();

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookSender> logger)
    {
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = new WebhookConnector(WebhookAddressPolicy.From(this.options)).ConnectAsync,
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            // Pooled connections were checked when they connected; renewing them picks up DNS changes, which are checked again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 64, // KiB
            // A failed response is read only as far as its excerpt; the handler may drain a little more to reuse the connection.
            MaxResponseDrainSize = 64 * 1024,
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        client.DefaultRequestHeaders.Accept.ParseAdd("application/x-ndjson");
    }

    /// <summary>
    /// Signs and posts <paramref name="request"/>'s body once, reads the response within the request's timeout, and
    /// forwards a streamed (NDJSON) reply to <paramref name="replies"/> while it arrives. Throws only when
    /// <paramref name="cancellationToken"/> is cancelled (or for a request that is not well-formed: no or malformed
    /// secrets); every failure of the endpoint is a result. Continuations, and so the calls to <paramref name="replies"/>,
    /// stay on the caller's context: awaited from a grain, the sink runs on the grain's scheduler, within its turn.
    /// </summary>
    public async Task<WebhookAttemptResult> SendAsync(WebhookAttemptRequest request, IWebhookReplySink? replies, CancellationToken cancellationToken)
    {
        var keys = DecodeSecrets(request.Secrets);
        var signedAt = time.GetUtcNow();
        if (Precheck(request) is { } refusal)
        {
            return WebhookAttemptResult.Failed(WebhookAttemptOutcome.Rejected, refusal, signedAt);
        }

        var pipeline = pipelines.GetOrAddPipeline<WebhookAttemptResult>(request.AgentId, (builder, context) => ConfigurePipeline(builder, context.PipelineKey));
        // On the caller's context throughout (Polly's awaits included), so a grain's reply sink runs within the grain's turn.
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, cancellationToken);
        context.Properties.Set(AttemptTimeout, TimeoutOf(request));
        var started = time.GetTimestamp();
        try
        {
            var attempt = new WebhookAttempt(client, options, time, request, keys, signedAt, replies, cancellationToken);
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (context, attempt) =>
                {
                    try
                    {
                        return Outcome.FromResult(await attempt.SendAsync(context.CancellationToken));
                    }
                    catch (Exception exception)
                    {
                        return Outcome.FromException<WebhookAttemptResult>(exception);
                    }
                },
                context,
                attempt);
            var result = outcome.Exception switch
            {
                null => outcome.Result!,
                TimeoutRejectedException => WebhookAttemptResult.Failed(WebhookAttemptOutcome.Retryable, $"timed out after {context.Properties.GetValue(AttemptTimeout, options.DefaultTimeout).TotalMilliseconds:0} ms", signedAt, attempt.Status),
                BrokenCircuitException broken => WebhookAttemptResult.Failed(WebhookAttemptOutcome.CircuitOpen, "circuit open: recent attempts to this agent failed", signedAt) with { RetryAfter = broken.RetryAfter },
                var exception => Rethrow(exception),
            };
            return result with { Latency = time.GetElapsedTime(started) };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public void Dispose()
    {
        client.Dispose();
        pipelines.Dispose();
    }

    private string? Precheck(WebhookAttemptRequest request)
    {
        if (!request.Url.IsAbsoluteUri || (request.Url.Scheme != Uri.UriSchemeHttp && request.Url.Scheme != Uri.UriSchemeHttps))
        {
            return $"{request.Url} is not an absolute http or https URL";
        }

        return request.Body.Length > options.MaxRequestBytes
            ? $"request too large: {request.Body.Length} bytes, the limit is {options.MaxRequestBytes}"
            : null;
    }

    /// <summary>The request's timeout, the default when it names none, never more than <see cref="WebhookOptions.MaxTimeout"/>.</summary>
    private TimeSpan TimeoutOf(WebhookAttemptRequest request) =>
        request.Timeout <= TimeSpan.Zero ? options.DefaultTimeout : request.Timeout > options.MaxTimeout ? options.MaxTimeout : request.Timeout;

    private static byte[][] DecodeSecrets(IReadOnlyList<string> secrets)
    {
        if (secrets.Count == 0)
        {
            throw new ArgumentException("A webhook attempt needs at least one signing secret.", nameof(secrets));
        }

        return [.. secrets.Select(secret => WebhookSecret.TryDecode(secret) ?? throw new ArgumentException("A signing secret is not a well-formed whsec_ secret.", nameof(secrets)))];
    }

    private static WebhookAttemptResult Rethrow(Exception exception)
    {
        ExceptionDispatchInfo.Capture(exception).Throw();
        return null!;
    }
}
