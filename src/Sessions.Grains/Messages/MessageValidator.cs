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
    /// <summary>
    /// Every rule of an append, all broken fields named in one validation error. Content larger than the limit is its
    /// own error (<see cref="SessionErrors.ContentTooLarge"/>, a 413) and stops the checks before the content is read.
    /// This is the one check an append's content and metadata get: the gateway parses a request once to build the
    /// command, and leaves these rules to the grain, where cluster clients meet them too.
    /// </summary>
    public static void Validate(AppendMessageCommand command, LimitsOptions limits)
    {
        var errors = CheckStorable(new FieldErrors(), "sender_id", command.SenderId);
        CheckName(errors, "kind", command.Kind, limits);
        if (command.Content.ValueKind != JsonValueKind.Object)
        {
            errors.Add("content", "content must be a JSON object.");
        }
        else
        {
            var contentBytes = RawSize(command.Content);
            if (contentBytes > limits.MaxContentBytes)
            {
                errors.ThrowIfAny();
                throw new SessionException(
                    SessionErrors.ContentTooLarge,
                    $"content is {contentBytes} bytes; the limit is {limits.MaxContentBytes} bytes.",
                    new Dictionary<string, string> { ["limit_bytes"] = limits.MaxContentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            CheckStorableJson(errors, "content", command.Content);
        }

        CheckMetadata(errors, "metadata", command.Metadata, limits);
        CheckToken(errors, "client_message_id", command.ClientMessageId, limits);
        if (command.ExpectedSeq is < 0)
        {
            errors.Add("expected_seq", "expected_seq must not be negative.");
        }

        errors.ThrowIfAny();
    }

    /// <summary>Kinds are short machine names such as <c>text</c>, <c>tool_call</c> or <c>support.ticket</c>.</summary>
    public static void RequireName(string field, string? value, LimitsOptions limits) => CheckName(new FieldErrors(), field, value, limits).ThrowIfAny();

    /// <summary><see cref="RequireName"/>, noting what is wrong in <paramref name="errors"/> instead of throwing.</summary>
    public static FieldErrors CheckName(FieldErrors errors, string field, string? value, LimitsOptions limits) =>
        string.IsNullOrEmpty(value) || value.Length > limits.MaxIdLength || !NamePattern().IsMatch(value)
            ? errors.Add(field, $"{field} must be 1 to {limits.MaxIdLength} characters of letters, digits and . _ : / -.")
            : errors;

    public static void RequireMetadata(string field, JsonElement? metadata, LimitsOptions limits) =>
        CheckMetadata(new FieldErrors(), field, metadata, limits).ThrowIfAny();

    /// <summary>
    /// Optional metadata: absent, JSON null, or an object of at most <see cref="LimitsOptions.MaxMetadataBytes"/> that
    /// can be stored. Notes what is wrong in <paramref name="errors"/>, for callers that name every broken rule at once.
    /// </summary>
    public static FieldErrors CheckMetadata(FieldErrors errors, string field, JsonElement? metadata, LimitsOptions limits)
    {
        if (metadata is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return errors;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return errors.Add(field, $"{field} must be a JSON object or null.");
        }

        if (RawSize(value) > limits.MaxMetadataBytes)
        {
            return errors.Add(field, $"{field} is larger than {limits.MaxMetadataBytes} bytes.");
        }

        return CheckStorableJson(errors, field, value);
    }

    /// <summary>
    /// The size the content and metadata limits measure: the value's UTF-8 JSON text as the caller sent it, whitespace and
    /// escapes included. It is the one measure every caller and every hop agrees on without a pass over the value: the
    /// bytes the request carried, the bytes a grain call carries (<see cref="JsonElementSurrogate"/>), and what the grain
    /// holds until the database normalizes it. A compacted size would cost a serialization per check and measure bytes
    /// nobody sends; the stored size is known only after the write. Sessions, messages, replies and participants all
    /// check their metadata here, so a value refused on one route is refused on every route and by every client.
    /// </summary>
    public static int RawSize(JsonElement value) => JsonMarshal.GetRawUtf8Value(value).Length;

    /// <summary>
    /// An optional client-chosen token (client_message_id, task_id): 1..MaxIdLength characters, none of them a control
    /// character, so none a NUL either (<see cref="StorableText"/>).
    /// </summary>
    public static void RequireToken(string field, string? value, LimitsOptions limits) => CheckToken(new FieldErrors(), field, value, limits).ThrowIfAny();

    /// <summary><see cref="RequireToken"/>, noting what is wrong in <paramref name="errors"/> instead of throwing.</summary>
    public static FieldErrors CheckToken(FieldErrors errors, string field, string? value, LimitsOptions limits) =>
        value is not null && (value.Length == 0 || value.Length > limits.MaxIdLength || StorableText.HasControlCharacter(value) || !StorableText.IsStorable(value))
            ? errors.Add(field, $"{field} must be 1 to {limits.MaxIdLength} characters, none of them a control character.")
            : errors;

    /// <summary>Text PostgreSQL can store: no NUL, no unpaired surrogate (<see cref="StorableText"/>).</summary>
    public static void RequireStorable(string field, string? value) => CheckStorable(new FieldErrors(), field, value).ThrowIfAny();

    /// <summary><see cref="RequireStorable"/>, noting what is wrong in <paramref name="errors"/> instead of throwing.</summary>
    public static FieldErrors CheckStorable(FieldErrors errors, string field, string? value) => StorableText.IsStorable(value)
        ? errors
        : errors.Add(field, $"{field} contains a NUL character or an unpaired surrogate, which cannot be stored.");

    /// <summary>
    /// JSON PostgreSQL can store (<see cref="StorableText"/>): the one pass over a value before it is stored, whoever sent
    /// it (the gateway only parses a request; cluster clients hand over JsonElements no gateway has seen). Call after the
    /// size check: it reads the value.
    /// </summary>
    public static void RequireStorableJson(string field, JsonElement value) => CheckStorableJson(new FieldErrors(), field, value).ThrowIfAny();

    /// <summary><see cref="RequireStorableJson"/>, noting what is wrong in <paramref name="errors"/> instead of throwing.</summary>
    public static FieldErrors CheckStorableJson(FieldErrors errors, string field, JsonElement value)
    {
        var message = StorableText.Check(value) switch
        {
            JsonTextProblem.None => null,
            JsonTextProblem.Nul => $"{field} contains a NUL character (\\u0000), which cannot be stored.",
            JsonTextProblem.NumberOutOfRange => $"{field} contains a number with more than {StorableText.MaxNumberDigits} digits before or after the decimal point, or an exponent beyond {StorableText.MaxExponent}, which cannot be stored.",
            _ => $"{field} is not valid UTF-8 text (invalid bytes or an unpaired surrogate escape).",
        };
        return message is null ? errors : errors.Add(field, message);
    }

    [GeneratedRegex("^[A-Za-z0-9_.:/-]+$")]
    private static partial Regex NamePattern();
}
