using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sessions.Testing.Cluster;

/// <summary>
/// The test stand-in for a Kubernetes Service in front of the silos' HTTP ports. It polls every backend's
/// <c>/readyz</c> about every 100 ms and sends each request to the next ready backend in turn (round robin). A
/// request whose TCP connect fails was never delivered, so it goes to another ready backend (as a client retries a
/// refused connection); anything else — an HTTP error status, a reset or timeout after sending — is the caller's
/// answer, reported as it is. Like kube-proxy it keeps using open keep-alive connections to a backend that turned
/// unready; unlike it, it waits (up to <see cref="NoBackendTimeout"/>) when no backend is ready.
/// </summary>
public sealed class ReadinessBalancer : IAsyncDisposable
{
    public static readonly TimeSpan NoBackendTimeout = TimeSpan.FromSeconds(15);
    private const int MaxConnectAttempts = 10;

    private readonly IReadOnlyList<Uri> _backends;
    private readonly ConcurrentDictionary<Uri, bool> _ready = new();
    private readonly HttpClient _http;
    private readonly HttpClient _probe;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;
    private readonly TimeSpan _pollInterval;
    private long _next;
    private long _connectFailures;

    public ReadinessBalancer(IEnumerable<Uri> backends, TimeSpan? pollInterval = null)
    {
        _backends = backends.ToList();
        _pollInterval = pollInterval ?? TimeSpan.FromMilliseconds(100);
        // Requests carry the tests' admin key, as the silos' own clients do.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectCallback = ConnectAsync })
        {
            Timeout = TimeSpan.FromSeconds(30),
        }.Authorize();
        _probe = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(1) };
        _polling = Task.Run(() => PollAsync(_stop.Token));
    }

    /// <summary>The backends that answered their last readiness poll with 200.</summary>
    public IReadOnlyList<Uri> ReadyBackends => _backends.Where(b => _ready.GetValueOrDefault(b)).ToList();

    /// <summary>Requests whose TCP connect failed and were sent to another backend.</summary>
    public long ConnectFailuresRetried => Interlocked.Read(ref _connectFailures);

    /// <summary>Waits until at least <paramref name="count"/> backends are ready.</summary>
    public async Task WaitForReadyAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (ReadyBackends.Count < count)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Only {ReadyBackends.Count} of {_backends.Count} backends ready after {timeout.TotalSeconds:0} s; wanted {count}.");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends a request (built afresh for each attempt, with a path relative to the backend) to a ready backend.
    /// The response, whatever its status, is the caller's; so is any failure but a refused connection.
    /// </summary>
    public async Task<BalancedResponse> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken = default)
    {
        var refused = new List<Uri>();
        for (var attempt = 1; ; attempt++)
        {
            var backend = await PickAsync(refused, cancellationToken).ConfigureAwait(false);
            using var request = createRequest();
            request.RequestUri = new Uri(backend, request.RequestUri!);
            try
            {
                var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                return new BalancedResponse(backend, response);
            }
            catch (HttpRequestException e) when (IsConnectFailure(e) && attempt < MaxConnectAttempts)
            {
                Interlocked.Increment(ref _connectFailures);
                _ready[backend] = false;
                refused.Add(backend);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _polling.ConfigureAwait(false);
        _stop.Dispose();
        _http.Dispose();
        _probe.Dispose();
    }

    private async Task<Uri> PickAsync(List<Uri> refused, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var ready = ReadyBackends;
            var candidates = ready.Except(refused).ToList();
            if (candidates.Count == 0 && ready.Count > 0)
            {
                // Every ready backend refused once; a poll may have changed its mind since, so start over.
                refused.Clear();
                candidates = ready.ToList();
            }

            if (candidates.Count > 0)
            {
                return candidates[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)candidates.Count)];
            }

            if (clock.Elapsed > NoBackendTimeout)
            {
                throw new HttpRequestException($"No backend was ready for {NoBackendTimeout.TotalSeconds:0} s.");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAll(_backends.Select(async backend => _ready[backend] = await IsReadyAsync(backend, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
            try
            {
                await Task.Delay(_pollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> IsReadyAsync(Uri backend, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _probe.GetAsync(new Uri(backend, "/readyz"), cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    private static bool IsConnectFailure(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is BackendConnectException)
            {
                return true;
            }
        }

        return false;
    }

    // Our own connect step, so a failure to connect (never delivered) is told apart for certain from a failure after.
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new BackendConnectException(context.DnsEndPoint, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class BackendConnectException(DnsEndPoint endpoint, Exception inner)
        : IOException($"Could not connect to {endpoint.Host}:{endpoint.Port}: {inner.Message}", inner);
}

/// <summary>A response and the backend that gave it.</summary>
public sealed record BalancedResponse(Uri Backend, HttpResponseMessage Response) : IDisposable
{
    public void Dispose() => Response.Dispose();
}
