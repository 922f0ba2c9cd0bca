using System.Globalization;
using System.Net.Http.Headers;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// The HTTP exchange of one attempt, inside the Polly pipeline: <paramref name="attemptToken"/> of
/// <see cref="SendAsync"/> is the pipeline's, cancelled at the timeout; <paramref name="callerToken"/> is the grain's.
/// Failures of the endpoint become results; a cancellation stays an exception, so Polly's timeout can tell it apart.
/// </summary>
internal sealed class WebhookAttempt(
    HttpClient client,
    WebhookOptions options,
    TimeProvider time,
    WebhookAttemptRequest request,
    byte[][] keys,
    DateTimeOffset signedAt,
    IWebhookReplySink? sink,
    CancellationToken callerToken)
{
    private int? status;

    /// <summary>The response's status once its headers arrived: a timeout while reading the body still logs it.</summary>
    public int? Status => status;

    public async Task<WebhookAttemptResult> SendAsync(CancellationToken attemptToken)
    {
        try
        {
            using var message = CreateMessage();
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptToken);
            status = (int)response.StatusCode;
            var outcome = WebhookStatus.Classify(status.Value);
            return outcome == WebhookAttemptOutcome.Delivered
                ? await ReadDeliveredAsync(response, attemptToken)
                : await ReadFailedAsync(response, outcome, attemptToken);
        }
        catch (HttpRequestException exception) when (Find<WebhookAddressRefusedException>(exception) is { } refused)
        {
            return WebhookAttemptResult.Failed(WebhookAttemptOutcome.Rejected, refused.Message, signedAt);
        }
        catch (Exception exception) when (attemptToken.IsCancellationRequested && exception is not OperationCanceledException)
        {
            // A timeout that surfaced as an I/O error: let Polly's timeout see it as the cancellation it is.
            throw new OperationCanceledException("The webhook attempt was cancelled.", exception, attemptToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return WebhookAttemptResult.Failed(WebhookAttemptOutcome.Retryable, $"network error: {Innermost(exception)}", signedAt, status);
        }
    }

    private HttpRequestMessage CreateMessage()
    {
        var timestamp = signedAt.ToUnixTimeSeconds();
        var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ReadOnlyMemoryContent(request.Body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, request.DeliveryId);
        message.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        message.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(request.DeliveryId, timestamp, request.Body.Span, keys));
        return message;
    }

    private async Task<WebhookAttemptResult> ReadDeliveredAsync(HttpResponseMessage response, CancellationToken attemptToken)
    {
        if (response.Content.Headers.ContentLength > options.MaxResponseBytes)
        {
            return TooLarge(null);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(attemptToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.Equals(mediaType, "application/x-ndjson", StringComparison.OrdinalIgnoreCase))
        {
            var streamed = await new NdjsonReplyReader(sink, options.MaxResponseBytes, attemptToken, callerToken).ReadAsync(stream);
            return streamed.TooLarge
                ? TooLarge(streamed.Head) with { ChunkCount = streamed.ChunkCount }
                : Delivered(ResponseExcerpt.From(streamed.Head), streamed.Replies, streamed.ReplyError, streamed.ChunkCount);
        }

        var (body, tooLarge) = await BoundedBody.ReadAsync(stream, options.MaxResponseBytes, attemptToken);
        if (tooLarge)
        {
            return TooLarge(body);
        }

        var (replies, replyError) = IsJson(mediaType) ? WebhookReplyParser.ParseBody(body) : ([], null);
        return Delivered(ResponseExcerpt.From(body), replies, replyError, 0);
    }

    /// <summary>Only the excerpt of a failed response is read: the rest is not needed.</summary>
    private async Task<WebhookAttemptResult> ReadFailedAsync(HttpResponseMessage response, WebhookAttemptOutcome outcome, CancellationToken attemptToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(attemptToken);
        var head = new byte[WebhookAttemptResult.ExcerptBytes];
        var length = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, attemptToken);
        var error = (int)response.StatusCode is >= 300 and < 400
            ? $"{WebhookStatus.Describe(status!.Value, response.ReasonPhrase)}: redirect to {response.Headers.Location} not followed"
            : WebhookStatus.Describe(status!.Value, response.ReasonPhrase);
        var retryAfter = outcome == WebhookAttemptOutcome.Retryable ? WebhookStatus.RetryAfter(response.Headers.RetryAfter, time.GetUtcNow()) : null;
        return WebhookAttemptResult.Failed(outcome, error, signedAt, status, ResponseExcerpt.From(head.AsSpan(0, length))) with { RetryAfter = retryAfter };
    }

    private WebhookAttemptResult Delivered(string? excerpt, IReadOnlyList<WebhookReplyMessage> replies, string? replyError, int chunks) =>
        new(WebhookAttemptOutcome.Delivered, status, TimeSpan.Zero, null, excerpt, null, replies, replyError, chunks, signedAt);

    /// <summary>Not retried: the endpoint would answer as much again, and a bounded read is the point.</summary>
    private WebhookAttemptResult TooLarge(byte[]? head) => WebhookAttemptResult.Failed(
        WebhookAttemptOutcome.Rejected, $"response too large: more than {options.MaxResponseBytes} bytes", signedAt, status, head is null ? null : ResponseExcerpt.From(head));

    private static bool IsJson(string? mediaType) => mediaType is not null
        && (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Innermost(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return string.Join(" ← ", messages.Distinct());
    }
}
