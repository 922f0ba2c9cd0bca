namespace Sessions.Gateway.Tests.Hostile;

/// <summary>Sends one generated HTTP request and judges the answer into the tally.</summary>
public static class HostileSending
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>Kestrel's own limit on a request line: longer ones are refused before any of the gateway runs.</summary>
    private const int MaxRequestLineBytes = 8 * 1024;

    public static async Task SendAsync(HttpClient client, HostileHttpRequest request, HostileTally tally)
    {
        using var message = request.ToMessage(client.BaseAddress!);
        try
        {
            // Headers first: an event stream that was accepted never ends, and its status is the whole answer.
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            tally.Count(status.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Operation.Name);
            if (mediaType == "text/event-stream" && status < 300)
            {
                return;
            }

            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                tally.Violation($"{status} for {request} → {JsonMutations.Shorten(body, 600)}");
            }
            else if (status >= 400 && mediaType != ProblemJson && !RefusedByKestrel(request, status, body))
            {
                tally.Violation($"{status} {mediaType ?? "without a media type"} (not problem+json) for {request} → {JsonMutations.Shorten(body, 300)}");
            }
        }
        catch (HttpRequestException) when (request.IsOverLimit)
        {
            // The server answered 413 and closed the connection while the rest of the body was still being sent.
            tally.Count("413 (reset while sending)", request.Operation.Name);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            tally.Count("no answer", request.Operation.Name);
            tally.Violation($"no answer for {request}: {e.GetType().Name}: {e.Message} {e.InnerException?.Message}");
        }
    }

    /// <summary>
    /// Kestrel refuses a request line with an encoded NUL in its path, or longer than its limit, with a bare 400 or
    /// 414 before any middleware runs: the gateway never sees these, so they cannot be problem+json.
    /// </summary>
    private static bool RefusedByKestrel(HostileHttpRequest request, int status, string body) =>
        body.Length == 0 && (
            (status == 400 && request.PathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal))
            || (status == 414 && request.PathAndQuery.Length > MaxRequestLineBytes - 32));
}
