using System.Text.Json;
using Sessions.Gateway.Problems;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Tests.Requests;

/// <summary>
/// The one mapping of an append request (an HTTP body or a WebSocket <c>send</c> frame) to its command: the request's
/// shape only, every broken member named at once, the values passed on as sent.
/// </summary>
public sealed class AppendRequestsTests
{
    [Fact]
    public void Every_missing_or_mistyped_member_is_named_at_once()
    {
        var errors = new ValidationErrors();

        var command = AppendRequests.ToCommand(Parse("""{"sender_id":5,"kind":"","content":[],"metadata":"m","client_message_id":7,"expected_seq":-1}"""), errors);

        Assert.Null(command);
        Assert.Equal(["client_message_id", "content", "expected_seq", "kind", "metadata", "sender_id"], errors.Fields.Order());
    }

    [Theory]
    [InlineData("""{}""", new[] { "sender_id", "kind", "content" })]
    [InlineData("""{"sender_id":null,"kind":"text","content":null}""", new[] { "sender_id", "content" })]
    [InlineData("""{"sender_id":"a","kind":"text","content":{},"expected_seq":1.5}""", new[] { "expected_seq" })]
    [InlineData("""{"sender_id":"a","kind":"text","content":{},"expected_seq":9223372036854775808}""", new[] { "expected_seq" })]
    [InlineData("""{"sender_id":"a","kind":"text","content":{},"expected_seq":"1"}""", new[] { "expected_seq" })]
    public void A_request_of_the_wrong_shape_names_its_members(string json, string[] fields)
    {
        var errors = new ValidationErrors();

        Assert.Null(AppendRequests.ToCommand(Parse(json), errors));
        Assert.Equal(fields.Order(), errors.Fields.Order());
    }

    [Fact]
    public void Values_are_passed_on_as_sent_and_null_metadata_is_none()
    {
        var errors = new ValidationErrors();
        var request = Parse("""{"sender_id":"a","kind":"x y","content":{ "n" : 1e3 },"metadata":null,"client_message_id":"","expected_seq":0,"unknown":1}""");

        var command = AppendRequests.ToCommand(request, errors);

        Assert.False(errors.Any);
        Assert.NotNull(command);
        Assert.Equal(("a", "x y", "", 0L), (command.SenderId, command.Kind, command.ClientMessageId, command.ExpectedSeq));
        Assert.Equal("""{ "n" : 1e3 }""", command.Content.GetRawText());
        Assert.Null(command.Metadata);
    }

    [Fact]
    public void A_member_given_twice_counts_as_its_last_value()
    {
        var errors = new ValidationErrors();

        var command = AppendRequests.ToCommand(Parse("""{"sender_id":5,"sender_id":"b","kind":"text","content":{}}"""), errors);

        Assert.Equal("b", command?.SenderId);
    }

    private static JsonElement Parse(string json) => JsonElement.Parse(json);
}
