using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Sessions.Abstractions;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Requests;

/// <summary>
/// Reads a JSON request body into a request DTO, turning every way it can be wrong into its own problem:
/// a non-JSON content type is a 415; a body over <see cref="LimitsOptions.MaxRequestBodyBytes"/> is a 413, decided
/// on the bytes actually received, so a chunked body without Content-Length cannot slip past; bytes that are not
/// UTF-8 JSON are a 400 <c>invalid-json</c>; JSON that cannot be stored (a NUL anywhere, a huge number: see
/// <see cref="StorableText"/>) or whose values do not fit the DTO is a 400 <c>validation</c> naming the field.
/// </summary>
/// <remarks>
/// <see cref="ReadAsync{T}"/> checks the body for well-formedness first and deserializes it second, so that any
/// <see cref="JsonException"/> from the deserializer can only mean a value of the wrong type, and its
/// <see cref="JsonException.Path"/> names it. <see cref="ReadObjectAsync"/>, for the hot path of appends, parses the
/// body once and checks it only where a cheap screen finds something to explain, with the same answers.
/// </remarks>
public sealed class JsonRequestBody(IOptions<LimitsOptions> limits)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private readonly long _maxBytes = limits.Value.MaxRequestBodyBytes;

    /// <summary>The body deserialized into <typeparamref name="T"/>, or the problem.</summary>
    public Task<BodyReadResult<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class =>
        ReadAsync(request, typeInfo, static (body, typeInfo) => Parse(body, typeInfo));

    /// <summary>
    /// The body as one JSON object, parsed once (<see cref="ParseObject"/>), or the problem: the same problem
    /// <see cref="ReadAsync{T}"/> gives for a body that is not JSON text, and a validation problem naming <c>body</c>
    /// for JSON that is not an object. Its members are the caller's to map; the element owns its bytes.
    /// </summary>
    public Task<BodyReadResult<JsonElement>> ReadObjectAsync(HttpRequest request) =>
        ReadAsync(request, 0, static (body, _) => ParseObject(body));

    private async Task<BodyReadResult<T>> ReadAsync<T, TState>(
        HttpRequest request, TState state, Func<ReadOnlySequence<byte>, TState, BodyReadResult<T>> parse)
    {
        if (!IsJson(request.ContentType))
        {
            return new(default, ApiProblems.UnsupportedMediaType(request.ContentType));
        }

        if (request.ContentLength > _maxBytes)
        {
            return new(default, ApiProblems.PayloadTooLarge(_maxBytes));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            // Kestrel's own cap (30 MB by default) must not cut in first when a larger limit is configured here.
            serverLimit.MaxRequestBodySize = _maxBytes + 1;
        }

        var reader = request.BodyReader;
        ReadResult read;
        try
        {
            while (true)
            {
                read = await reader.ReadAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
                if (read.Buffer.Length > _maxBytes)
                {
                    reader.AdvanceTo(read.Buffer.End);
                    return new(default, ApiProblems.PayloadTooLarge(_maxBytes));
                }

                if (read.IsCompleted)
                {
                    break;
                }

                // Nothing consumed, everything examined: the next read returns the whole body so far plus what came in.
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(default, ApiProblems.PayloadTooLarge(_maxBytes));
        }
        catch (IOException) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // Kestrel reports some broken chunked framing (a chunk size past 2^63) as an IOException, not as the
            // BadHttpRequestException it throws for the rest: the client's fault all the same, and no 500.
            return new(default, ApiProblems.Of(ProblemCodes.UnreadableBody, "The request body could not be read: its chunked transfer encoding is malformed."));
        }

        try
        {
            return parse(read.Buffer, state);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    /// <summary>
    /// One pass: the body is parsed into a <see cref="JsonElement"/> (which checks its syntax and depth), then screened
    /// for text that is not UTF-8, an escaped NUL or an escaped half of a surrogate pair with two vectorized scans
    /// (<see cref="StorableText.HasOnlyStorableStrings"/>), not a second reading of its tokens. Only a body that fails
    /// the parse or the screen is read token by token (<see cref="CheckWellFormed"/>), to name what is wrong exactly as
    /// <see cref="ReadAsync{T}"/> does. Numbers are not looked at: the members the gateway reads are typed by its
    /// mapping, and the values it passes on (content, metadata) are the grain's to judge (<c>MessageValidator</c>), for
    /// every caller alike.
    /// </summary>
    private static BodyReadResult<JsonElement> ParseObject(ReadOnlySequence<byte> body)
    {
        if (body.IsEmpty)
        {
            return new(default, ApiProblems.InvalidJson("The request body is empty; send a JSON object."));
        }

        JsonElement root;
        try
        {
            // The element copies what it parses (one copy, no pooled buffers to return), so the request's buffer can go.
            root = body.IsSingleSegment ? JsonElement.Parse(body.FirstSpan, DocumentOptions) : JsonElement.Parse(body.ToArray(), DocumentOptions);
        }
        catch (JsonException)
        {
            return new(default, CheckWellFormed(body) ?? ApiProblems.InvalidJson("The request body is not valid JSON."));
        }

        if (!StorableText.HasOnlyStorableStrings(JsonMarshal.GetRawUtf8Value(root)) && CheckWellFormed(body) is { } problem)
        {
            return new(default, problem);
        }

        return root.ValueKind == JsonValueKind.Object
            ? new(root, null)
            : new(default, ApiProblems.Validation("body", "The request body must be a JSON object."));
    }

    private static BodyReadResult<T> Parse<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (body.IsEmpty)
        {
            return new(null, ApiProblems.InvalidJson("The request body is empty; send a JSON object."));
        }

        if (CheckWellFormed(body) is { } problem)
        {
            return new(null, problem);
        }

        try
        {
            var jsonReader = new Utf8JsonReader(body);
            if (JsonSerializer.Deserialize(ref jsonReader, typeInfo) is { } value)
            {
                return new(value, null);
            }
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            return field is null
                ? new(null, ApiProblems.Validation("body", "The request body must be a JSON object."))
                : new(null, ApiProblems.Validation(field, $"{field} has a value of the wrong type or an unknown value."));
        }

        return new(null, ApiProblems.Validation("body", "The request body must be a JSON object."));
    }

    /// <summary>
    /// Null when <paramref name="body"/> is one well-formed JSON value that can be stored; otherwise the problem:
    /// <c>invalid-json</c> for broken syntax, nesting past 64, bytes that are not UTF-8 or an escaped half of a
    /// surrogate pair (in any string or property name: the reader checks neither); <c>validation</c>, naming the
    /// top-level field it is in, for a NUL (<c>\u0000</c>) in any string or property name or a number beyond
    /// <see cref="StorableText.MaxNumberDigits"/> digits, both of which PostgreSQL refuses (<see cref="StorableText"/>).
    /// </summary>
    /// <remarks>
    /// One pass: the checks ride along the syntax check. Only strings, property names and numbers are looked at;
    /// a string's escapes only when it has any (<see cref="Utf8JsonReader.ValueIsEscaped"/>). A body that is both
    /// unstorable and malformed is <c>invalid-json</c>, whatever comes first.
    /// </remarks>
    private static ProblemHttpResult? CheckWellFormed(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        ValidationErrors? unstorable = null;
        var field = "body";
        try
        {
            while (reader.Read())
            {
                var problem = StorableText.CheckToken(ref reader);
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    // The field named in errors: the top-level member the value is in (the client's name for it).
                    field = problem == JsonTextProblem.None ? reader.GetString()! : "body";
                }

                switch (problem)
                {
                    case JsonTextProblem.None:
                        break;
                    case JsonTextProblem.InvalidUtf8:
                        return ApiProblems.InvalidJson(
                            $"The request body is not valid UTF-8: the {TokenName(reader.TokenType)} at byte {reader.TokenStartIndex + 1} holds bytes that are not UTF-8.");
                    case JsonTextProblem.UnpairedSurrogate:
                        return ApiProblems.InvalidJson(
                            $"The request body is not valid JSON text: the {TokenName(reader.TokenType)} at byte {reader.TokenStartIndex + 1} escapes half of a UTF-16 surrogate pair (\\uD800-\\uDFFF) without the other half.");
                    default:
                        unstorable ??= new ValidationErrors();
                        if (!unstorable.Fields.Contains(field))
                        {
                            unstorable.Add(field, problem == JsonTextProblem.Nul
                                ? $"{field} contains a NUL character (\\u0000), which cannot be stored."
                                : $"{field} contains a number with more than {StorableText.MaxNumberDigits} digits before or after the decimal point (written without exponent), or an exponent beyond {StorableText.MaxExponent}, which cannot be stored.");
                        }

                        break;
                }
            }
        }
        catch (JsonException e)
        {
            // The reader's message names the offending character and position, never anything of the server.
            return ApiProblems.InvalidJson($"The request body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        return unstorable is null ? null : ApiProblems.Validation(unstorable);
    }

    private static string TokenName(JsonTokenType token) => token == JsonTokenType.PropertyName ? "property name" : "string";

    /// <summary>"$.expected_seq" → "expected_seq"; null for the root (the body itself had the wrong shape).</summary>
    private static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? null : field;
    }

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return false;
        }

        var isJson = mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.MediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var charset = mediaType.Charset;
        return isJson && (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
    }
}
