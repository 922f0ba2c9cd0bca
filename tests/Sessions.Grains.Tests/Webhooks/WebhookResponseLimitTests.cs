using System.Text;
using Microsoft.AspNetCore.Http;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class WebhookResponseLimitTests
{
    private const int Limit = 2000;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_response_over_the_limit_fails_the_attempt_without_retries(bool announcesLength)
    {
        var body = $$"""{"messages":[],"padding":"{{new string('x', 5000)}}"}""";
        await using var sink = await WebhookSink.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            if (announcesLength)
            {
                context.Response.ContentLength = Encoding.UTF8.GetByteCount(body);
            }

            // Written in pieces, so without a Content-Length the limit is met while reading, not from a header.
            foreach (var piece in body.Chunk(500))
            {
                await context.Response.WriteAsync(new string(piece));
                await context.Response.Body.FlushAsync();
            }
        });
        using var sender = Senders.Create(options => options.MaxResponseBytes = Limit);

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal((WebhookAttemptOutcome.Rejected, (int?)200), (result.Outcome, result.StatusCode));
        Assert.Equal($"response too large: more than {Limit} bytes", result.Error);
    }

    [Fact]
    public async Task A_response_at_the_limit_is_read()
    {
        var body = $$"""{"padding":"{{new string('x', Limit - 14)}}"}""";
        Assert.Equal(Limit, Encoding.UTF8.GetByteCount(body));
        await using var sink = await WebhookSink.StartAsync(200, body);
        using var sender = Senders.Create(options => options.MaxResponseBytes = Limit);

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal(WebhookAttemptOutcome.Delivered, result.Outcome);
        Assert.Equal(WebhookAttemptResult.ExcerptBytes, Encoding.UTF8.GetByteCount(result.ResponseExcerpt!));
    }

    [Fact]
    public async Task A_request_body_over_the_limit_is_not_sent()
    {
        await using var sink = await WebhookSink.StartAsync(200);
        using var sender = Senders.Create(options => options.MaxRequestBytes = 100);

        var result = await sender.SendAsync(Senders.Request(sink.Url, body: $$"""{"x":"{{new string('y', 200)}}"}"""));

        Assert.Equal(WebhookAttemptOutcome.Rejected, result.Outcome);
        Assert.StartsWith("request too large", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, sink.Count);
    }

    [Fact]
    public void The_excerpt_keeps_at_most_1_KiB_of_utf8_and_replaces_invalid_bytes()
    {
        var text = "a" + new string('é', 1000); // 2,001 bytes: the 512th é straddles byte 1,024
        var excerpt = ResponseExcerpt.From(Encoding.UTF8.GetBytes(text))!;
        Assert.Equal("a" + new string('é', 511), excerpt);

        var garbage = Enumerable.Repeat((byte)0xFF, 2000).ToArray();
        var replaced = ResponseExcerpt.From(garbage)!;
        Assert.All(replaced, character => Assert.Equal('\uFFFD', character));
        Assert.InRange(Encoding.UTF8.GetByteCount(replaced), WebhookAttemptResult.ExcerptBytes - 2, WebhookAttemptResult.ExcerptBytes);
        Assert.Null(ResponseExcerpt.From([]));
    }
}
