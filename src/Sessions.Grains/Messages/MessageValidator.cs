using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// The rules a message must meet before it is stored. They live with the grain, not the gateway,
/// so cluster clients that call the grain directly meet the same limits as HTTP callers.
/// </summary>
internal static partial class MessageValidator
{
    public static void Validate(AppendMessageCommand command, LimitsOptions limits)
    {
        RequireName("kind", command.Kind, limits);
        if (command.Content.ValueKind != JsonValueKind.Object)
        {
            throw SessionErrors.Invalid("content", "content must be a JSON object.");
        }

        var contentBytes = JsonMarshal.GetRawUtf8Value(command.Content).Length;
        if (contentBytes > limits.MaxContentBytes)
        {
            throw new Actors.GrainException(
                SessionErrors.ContentTooLarge,
                $"content is {contentBytes} bytes; the limit is {limits.MaxContentBytes} bytes.",
                new Dictionary<string, string> { ["limit_bytes"] = limits.MaxContentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        RequireMetadata("metadata", command.Metadata, limits);
        if (command.ClientMessageId is { } clientMessageId && (clientMessageId.Length == 0 || clientMessageId.Length > limits.MaxIdLength))
        {
            throw SessionErrors.Invalid("client_message_id", $"client_message_id must be 1 to {limits.MaxIdLength} characters.");
        }

        if (command.ExpectedSeq is < 0)
        {
            throw SessionErrors.Invalid("expected_seq", "expected_seq must not be negative.");
        }
    }

    /// <summary>Kinds are short machine names such as <c>text</c>, <c>tool_call</c> or <c>support.ticket</c>.</summary>
    public static void RequireName(string field, string? value, LimitsOptions limits)
    {
        if (string.IsNullOrEmpty(value) || value.Length > limits.MaxIdLength || !NamePattern().IsMatch(value))
        {
            throw SessionErrors.Invalid(field, $"{field} must be 1 to {limits.MaxIdLength} characters of letters, digits and . _ : / -.");
        }
    }

    public static void RequireMetadata(string field, JsonElement? metadata, LimitsOptions limits)
    {
        if (metadata is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw SessionErrors.Invalid(field, $"{field} must be a JSON object or null.");
        }

        if (JsonMarshal.GetRawUtf8Value(value).Length > limits.MaxMetadataBytes)
        {
            throw SessionErrors.Invalid(field, $"{field} is larger than {limits.MaxMetadataBytes} bytes.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.:/-]+$")]
    private static partial Regex NamePattern();
}
