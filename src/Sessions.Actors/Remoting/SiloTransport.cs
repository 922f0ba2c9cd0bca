using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Sessions.Actors;

/// <summary>
/// Sends grain calls and probes to other silos over HTTP/2 cleartext: one multiplexed connection pool per silo,
/// shared by every call. Failures are sorted by what they mean for the caller: not delivered (retry elsewhere),
/// or interrupted after sending (outcome unknown).
/// </summary>
public sealed class SiloTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _probeTimeout;

    public SiloTransport(IOptions<ClusterOptions> options)
    {
        _probeTimeout = options.Value.ProbeTimeout;
        _http = new HttpClient(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.Value.ConnectTimeout,
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Delivers <paramref name="call"/> to <paramref name="silo"/>; throws <see cref="SiloUnreachableException"/> if it was never delivered.</summary>
    public async Task<GrainResponse> SendAsync(SiloAddress silo, GrainCall call, int hops, CancellationToken cancellationToken)
    {
        // The client's default version applies only to its helper methods, not to a request built by hand.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(silo.Endpoint, SiloWire.CallPath))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(call.Arguments),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(SiloWire.GrainTypeHeader, call.GrainType);
        request.Headers.Add(SiloWire.GrainKeyHeader, Uri.EscapeDataString(call.Key));
        request.Headers.Add(SiloWire.MethodHeader, call.Method);
        request.Headers.Add(SiloWire.HopsHeader, hops.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SiloWire.GenerationHeader, silo.Generation.ToString(CultureInfo.InvariantCulture));

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new SiloUnreachableException(silo, e);
        }
        catch (HttpRequestException e)
        {
            return Interrupted(silo, e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return RuntimeErrors.Failure(RuntimeErrors.CallInterrupted, $"Silo {silo} answered HTTP {(int)response.StatusCode}.");
            }

            byte[] body;
            try
            {
                body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                return Interrupted(silo, e);
            }

            return response.Headers.TryGetValues(SiloWire.OutcomeHeader, out var outcome) ? outcome.First() switch
            {
                SiloWire.ResultOutcome => new GrainResponse(body, null),
                SiloWire.EmptyOutcome => GrainResponse.Empty,
                _ => new GrainResponse(null, JsonSerializer.Deserialize(body, ActorsJsonContext.Default.GrainError)),
            } : RuntimeErrors.Failure(RuntimeErrors.CallInterrupted, $"Silo {silo} answered without an outcome.");
        }
    }

    /// <summary>True when <paramref name="silo"/> answers a ping as the same generation within the probe timeout.</summary>
    public async Task<bool> PingAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_probeTimeout);
        try
        {
            using var response = await _http.GetAsync(new Uri(silo.Endpoint, SiloWire.PingPath), timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                && response.Headers.TryGetValues(SiloWire.GenerationHeader, out var generation)
                && generation.First() == silo.Generation.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();

    private static GrainResponse Interrupted(SiloAddress silo, Exception e) =>
        RuntimeErrors.Failure(RuntimeErrors.CallInterrupted, $"The call to silo {silo} was interrupted; it may or may not have run: {e.Message}");
}
