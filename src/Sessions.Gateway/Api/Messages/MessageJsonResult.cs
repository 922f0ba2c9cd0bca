using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Sessions.Gateway.Api.Messages;

/// <summary>
/// The answer to an append: the stored message's JSON exactly as the session grain's tail cache holds it (see
/// <see cref="Sessions.Abstractions.AppendResultJson"/>), written as it is, with the status and Location a
/// <c>TypedResults.Created</c> of the message would have had. No serializer runs.
/// </summary>
public sealed class MessageJsonResult(int statusCode, byte[] utf8Json, string? location) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public int StatusCode => statusCode;

    int? IStatusCodeHttpResult.StatusCode => statusCode;

    public string ContentType => JsonContentType;

    /// <summary>A 201 for a new message, at <paramref name="location"/>.</summary>
    public static MessageJsonResult Created(string location, byte[] utf8Json) => new(StatusCodes.Status201Created, utf8Json, location);

    /// <summary>A 200 for a replayed one.</summary>
    public static MessageJsonResult Ok(byte[] utf8Json) => new(StatusCodes.Status200OK, utf8Json, null);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        if (location is not null)
        {
            response.Headers[HeaderNames.Location] = location;
        }

        response.ContentType = JsonContentType;
        response.ContentLength = utf8Json.Length;
        return response.Body.WriteAsync(utf8Json).AsTask();
    }
}
