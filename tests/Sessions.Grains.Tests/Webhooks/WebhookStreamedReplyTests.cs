using Microsoft.AspNetCore.Http;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class WebhookStreamedReplyTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static async Task WriteLineAsync(HttpContext context, string json)
    {
        await context.Response.WriteAsync(json + "\n");
        await context.Response.Body.FlushAsync();
    }

    private static void StartNdjson(HttpContext context) => context.Response.ContentType = "application/x-ndjson";

    [Fact]
    public async Task Chunks_reach_the_reply_sink_while_the_receiver_is_still_streaming()
    {
        var replySink = new RecordingReplySink();
        var sawFirstChunkInTime = false;
        await using var sink = await WebhookSink.StartAsync(async (context, _) =>
        {
            StartNdjson(context);
            await WriteLineAsync(context, """{"type":"chunk","text":"Hel"}""");

            // The rest is written only once the sender has forwarded chunk 0: a sender that buffers the whole response
            // never gets here in time.
            sawFirstChunkInTime = await replySink.FirstChunk.Task.WaitAsync(Deadline).ContinueWith(task => task.IsCompletedSuccessfully);
            await WriteLineAsync(context, """{"type":"chunk","text":"lo"}""");
            await WriteLineAsync(context, """{"type":"progress","percent":50}""");
            await WriteLineAsync(context, """{"type":"message","kind":"tool_call","content":{"name":"lookup"}}""");
            await context.Response.WriteAsync("""{"type":"chunk","text":"!"}"""); // the last line needs no newline
        });
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url), replySink);

        Assert.True(sawFirstChunkInTime, "the receiver waited in vain for the sender to forward chunk 0 before the stream ended");
        Assert.Equal(WebhookAttemptOutcome.Delivered, result.Outcome);
        Assert.Equal(["start", "chunk 0 Hel", "chunk 1 lo", "chunk 2 !", "end"], replySink.Events);
        Assert.Equal(3, result.ChunkCount);
        Assert.Equal("tool_call", Assert.Single(result.Replies).Kind);
        Assert.Null(result.ReplyError);
        Assert.StartsWith("""{"type":"chunk","text":"Hel"}""", result.ResponseExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reply_sink_runs_on_the_scheduler_of_the_caller_as_a_grain_s_would()
    {
        var replySink = new RecordingReplySink();
        await using var sink = await WebhookSink.StartAsync(async (context, _) =>
        {
            StartNdjson(context);
            await WriteLineAsync(context, """{"type":"chunk","text":"a"}""");
            await replySink.FirstChunk.Task.WaitAsync(Deadline);
            await WriteLineAsync(context, """{"type":"chunk","text":"b"}""");
        });
        using var sender = Senders.Create();

        // One activation's turn-based scheduler, in miniature: an exclusive scheduler of its own.
        var activation = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
        var result = await Task.Factory.StartNew(() => sender.SendAsync(Senders.Request(sink.Url), replySink), CancellationToken.None, TaskCreationOptions.None, activation).Unwrap();

        Assert.Equal(WebhookAttemptOutcome.Delivered, result.Outcome);
        Assert.Equal(["start", "chunk 0 a", "chunk 1 b", "end"], replySink.Events);
        Assert.All(replySink.Schedulers, scheduler => Assert.Same(activation, scheduler));
    }

    [Fact]
    public async Task A_stream_that_times_out_midway_ends_the_reply_as_broken_and_is_retryable()
    {
        var replySink = new RecordingReplySink();
        await using var sink = await WebhookSink.StartAsync(async (context, _) =>
        {
            StartNdjson(context);
            await WriteLineAsync(context, """{"type":"chunk","text":"thinking"}""");
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url, timeout: Senders.ShortTimeout), replySink);

        Assert.Equal((WebhookAttemptOutcome.Retryable, (int?)200), (result.Outcome, result.StatusCode));
        Assert.StartsWith("timed out", result.Error, StringComparison.Ordinal);
        Assert.Equal(["start", "chunk 0 thinking", "broken: the webhook timed out before the reply ended"], replySink.Events);
    }

    [Fact]
    public async Task A_stream_the_receiver_drops_ends_the_reply_as_broken_and_is_retryable()
    {
        var replySink = new RecordingReplySink();
        await using var sink = await WebhookSink.StartAsync(async (context, _) =>
        {
            StartNdjson(context);
            await WriteLineAsync(context, """{"type":"chunk","text":"half"}""");
            await replySink.FirstChunk.Task.WaitAsync(Deadline);
            context.Abort();
        });
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url), replySink);

        Assert.Equal(WebhookAttemptOutcome.Retryable, result.Outcome);
        Assert.StartsWith("network error:", result.Error, StringComparison.Ordinal);
        Assert.Equal(["start", "chunk 0 half"], replySink.Events.Take(2));
        Assert.StartsWith("broken: the reply broke off", replySink.Events[^1], StringComparison.Ordinal);
        Assert.Equal(3, replySink.Events.Count);
    }

    [Fact]
    public async Task A_stream_over_the_response_limit_ends_the_reply_as_broken_and_fails_the_attempt()
    {
        var replySink = new RecordingReplySink();
        await using var sink = await WebhookSink.StartAsync(async (context, _) =>
        {
            StartNdjson(context);
            for (var i = 0; i < 100 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await WriteLineAsync(context, """{"type":"chunk","text":"0123456789"}""");
            }
        });
        using var sender = Senders.Create(options => options.MaxResponseBytes = 300);

        var result = await sender.SendAsync(Senders.Request(sink.Url), replySink);

        Assert.Equal((WebhookAttemptOutcome.Rejected, "response too large: more than 300 bytes"), (result.Outcome, result.Error));
        Assert.Equal("broken: response too large: more than 300 bytes", replySink.Events[^1]);
        Assert.InRange(result.ChunkCount, 1, 300 / 30);
    }

    [Fact]
    public async Task A_malformed_line_stops_the_reply_but_the_delivery_counts()
    {
        var replySink = new RecordingReplySink();
        await using var sink = await WebhookSink.StartAsync(async (context, _) =>
        {
            StartNdjson(context);
            await WriteLineAsync(context, """{"type":"chunk","text":"ok"}""");
            await WriteLineAsync(context, "not json");
            await WriteLineAsync(context, """{"type":"chunk","text":"never forwarded"}""");
        });
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url), replySink);

        Assert.Equal(WebhookAttemptOutcome.Delivered, result.Outcome);
        Assert.StartsWith("line 2 is not valid JSON", result.ReplyError, StringComparison.Ordinal);
        Assert.Equal(["start", "chunk 0 ok", $"broken: {result.ReplyError}"], replySink.Events);
    }
}
