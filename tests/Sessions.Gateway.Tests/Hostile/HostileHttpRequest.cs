namespace Sessions.Gateway.Tests.Hostile;

/// <summary>
/// One generated HTTP request: the operation it aims at, what was done to it, and the exact bytes it sends (the path
/// goes out as generated: no canonicalization may repair what the test broke).
/// </summary>
public sealed record HostileHttpRequest(
    int Index,
    ApiOperation Operation,
    string Label,
    HttpMethod Method,
    string PathAndQuery,
    byte[]? Body,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>Over the body size limit: the server may answer 413 and close the connection before reading it all.</summary>
    public bool IsOverLimit { get; init; }

    public HttpRequestMessage ToMessage(Uri baseAddress)
    {
        var uri = new Uri(baseAddress.GetLeftPart(UriPartial.Authority) + PathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var message = new HttpRequestMessage(Method, uri);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    public override string ToString() =>
        $"#{Index} {Method} {JsonMutations.Shorten(PathAndQuery)} [{Operation.Name}: {Label}; {Body?.Length ?? 0} bytes, {ContentType ?? "no content type"}]";
}
