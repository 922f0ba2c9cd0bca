using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Sessions.Grains.Webhooks;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class WebhookJsonReplyTests
{
    [Fact]
    public async Task Reply_messages_in_a_json_response_are_returned_in_order()
    {
        await using var sink = await WebhookSink.StartAsync(200, """
            {"messages":[
              {"kind":"text","content":{"text":"Hi!"},"metadata":{"model":"m1"}},
              {"kind":"tool_call","content":{"name":"lookup"}}
            ]}
            """);
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal(WebhookAttemptOutcome.Delivered, result.Outcome);
        Assert.Null(result.ReplyError);
        Assert.Equal(["text", "tool_call"], result.Replies.Select(reply => reply.Kind));
        Assert.Equal("Hi!", result.Replies[0].Content.GetProperty("text").GetString());
        Assert.Equal("m1", result.Replies[0].Metadata!.Value.GetProperty("model").GetString());
        Assert.Equal("lookup", result.Replies[1].Content.GetProperty("name").GetString());
        Assert.Null(result.Replies[1].Metadata);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"messages":[]}""")]
    [InlineData("""{"ok":true,"messages":null}""")]
    public async Task A_response_without_messages_is_a_delivery_without_replies(string body)
    {
        await using var sink = await WebhookSink.StartAsync(200, body);
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal((WebhookAttemptOutcome.Delivered, 0, (string?)null), (result.Outcome, result.Replies.Count, result.ReplyError));
    }

    [Theory]
    [InlineData("""{"messages":[{"kind":"text","content":{"text":"fine"}},{"kind":"text","content":"not an object"}]}""", "messages[1].content must be an object")]
    [InlineData("""{"messages":[{"content":{"text":"x"}}]}""", "messages[0].kind must be a non-empty string")]
    [InlineData("""{"messages":[{"kind":"text","content":{},"metadata":[1]}]}""", "messages[0].metadata must be an object or null")]
    [InlineData("""{"messages":{"kind":"text"}}""", "messages must be an array")]
    [InlineData("""{"messages":[""", "the reply body is not valid JSON")]
    public async Task A_malformed_reply_still_counts_as_delivered_and_says_what_is_wrong_with_no_replies_taken(string body, string error)
    {
        await using var sink = await WebhookSink.StartAsync(200, body);
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal((WebhookAttemptOutcome.Delivered, 0), (result.Outcome, result.Replies.Count));
        Assert.StartsWith(error, result.ReplyError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_body_that_is_not_json_is_ignored_as_a_reply()
    {
        await using var sink = await WebhookSink.StartAsync(async (context, _) => await context.Response.WriteAsync("""{"messages":"looks like json but is text/plain"}"""));
        using var sender = Senders.Create();

        var result = await sender.SendAsync(Senders.Request(sink.Url));

        Assert.Equal((WebhookAttemptOutcome.Delivered, 0, (string?)null), (result.Outcome, result.Replies.Count, result.ReplyError));
        Assert.Contains("looks like json", result.ResponseExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsed_replies_outlive_the_document_they_came_from()
    {
        var (replies, _) = ParseBody("""{"messages":[{"kind":"text","content":{"text":"kept"}}]}""");

        GC.Collect();
        Assert.Equal("kept", replies[0].Content.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Object, replies[0].Content.ValueKind);
    }

    private static (IReadOnlyList<WebhookReplyMessage>, string?) ParseBody(string json) =>
        WebhookReplyParser.ParseBody(System.Text.Encoding.UTF8.GetBytes(json));
}
