using System.Threading.Channels;

namespace Sessions.Testing.Realtime;

/// <summary>One Server-Sent Event as received: its id (if any), event name and data; comments are kept apart.</summary>
public sealed record ServerSentEvent(string? Id, string Event, string Data);

/// <summary>A reader of an SSE stream for tests: events are parsed in the background and taken in order with a deadline.</summary>
public sealed class ServerSentEventsTestClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Channel<ServerSentEvent> _events = Channel.CreateUnbounded<ServerSentEvent>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private int _comments;

    private ServerSentEventsTestClient(HttpResponseMessage response)
    {
        _response = response;
        _reading = ReadAllAsync();
    }

    public HttpResponseMessage Response => _response;

    /// <summary>How many comment lines (heartbeats) arrived.</summary>
    public int Comments => Volatile.Read(ref _comments);

    /// <summary>Opens the stream; a response that is not 200 is returned to the caller through <see cref="Response"/>.</summary>
    public static async Task<ServerSentEventsTestClient> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return new ServerSentEventsTestClient(response);
    }

    public async Task<ServerSentEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await _events.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No event within {timeout ?? TimeSpan.FromSeconds(30)}.");
        }
    }

    /// <summary>True once the server ended the stream.</summary>
    public bool Ended => _reading.IsCompleted;

    private async Task ReadAllAsync()
    {
        if (!_response.IsSuccessStatusCode)
        {
            _events.Writer.TryComplete();
            return;
        }

        try
        {
            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
            string? id = null, name = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        _events.Writer.TryWrite(new ServerSentEvent(id, name ?? "message", string.Join('\n', data)));
                    }

                    id = name = null;
                    data.Clear();
                }
                else if (line.StartsWith(':'))
                {
                    Interlocked.Increment(ref _comments);
                }
                else
                {
                    var colon = line.IndexOf(':');
                    var field = colon < 0 ? line : line[..colon];
                    var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                    switch (field)
                    {
                        case "id": id = value; break;
                        case "event": name = value; break;
                        case "data": data.Add(value); break;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or HttpRequestException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _response.Dispose();
        _stop.Dispose();
    }
}
