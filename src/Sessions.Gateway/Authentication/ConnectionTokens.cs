using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Gateway.Calls;

namespace Sessions.Gateway.Authentication;

/// <summary>
/// Ends the WebSocket and SSE connections whose participant token stops being valid while they are open: at the
/// token's expiry (a timer per expiring token's connection), when it is revoked on this gateway (at once), and when it
/// was revoked elsewhere (one call of <see cref="ITokenLookupGrain.FindUnusableAsync"/> per
/// <see cref="AuthOptions.ConnectionCheckInterval"/> for every token held by an open connection, however many
/// connections share it). A connection opened with an admin key is not watched.
/// </summary>
public sealed partial class ConnectionTokens(
    GrainCalls calls, IOptions<AuthOptions> options, TimeProvider clock, ILogger<ConnectionTokens> logger) : BackgroundService
{
    /// <summary>The reasons a connection ends with (the WebSocket close description; the SSE <c>close</c> event's reason).</summary>
    public const string TokenRevoked = "token-revoked";
    public const string TokenExpired = "token-expired";
    public const string TokenUnknown = "token-unknown";

    // Timers take at most about 49 days; a later expiry is left to the periodic check (which also sees expiries).
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(30);

    private readonly ConcurrentDictionary<WatchedConnection, byte> _watched = new();

    /// <summary>Watches <paramref name="connection"/>'s token until the returned handle is disposed (when the connection ends).</summary>
    internal IDisposable Watch(ITokenBoundConnection connection, ClaimsPrincipal user)
    {
        if (Caller.From(user) is not { TokenId: { } tokenId } caller)
        {
            return NotWatched.Instance;
        }

        var watch = new WatchedConnection(this, connection, tokenId);
        _watched.TryAdd(watch, 0);
        if (caller.ExpiresAt is { } expiresAt)
        {
            var due = expiresAt - clock.GetUtcNow();
            if (due <= TimeSpan.Zero)
            {
                connection.End(TokenExpired);
            }
            else if (due <= LongestTimer)
            {
                watch.Expiry = clock.CreateTimer(static state => ((ITokenBoundConnection)state!).End(TokenExpired), connection, due, Timeout.InfiniteTimeSpan);
            }
        }

        return watch;
    }

    /// <summary>Ends this gateway's connections that hold token <paramref name="tokenId"/>, with <paramref name="reason"/>.</summary>
    internal void End(string tokenId, string reason)
    {
        foreach (var (watch, _) in _watched)
        {
            if (watch.TokenId == tokenId)
            {
                watch.Connection.End(reason);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ConnectionCheckInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(CancellationToken ct)
    {
        var tokenIds = _watched.Keys.Select(w => w.TokenId).Distinct(StringComparer.Ordinal).ToList();
        if (tokenIds.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var unusable in await calls.Get<ITokenLookupGrain>(0).FindUnusableAsync(tokenIds).WaitAsync(ct).ConfigureAwait(false))
            {
                End(unusable.TokenId, unusable.Reason switch
                {
                    TokenUnusableReason.Revoked => TokenRevoked,
                    TokenUnusableReason.Expired => TokenExpired,
                    _ => TokenUnknown,
                });
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The cluster or the database did not answer: the connections stay open, and the next check tries again.
            LogCheckFailed(logger, exception, tokenIds.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not check the {Count} tokens of open realtime connections; trying again at the next check")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, int count);

    private sealed class WatchedConnection(ConnectionTokens owner, ITokenBoundConnection connection, string tokenId) : IDisposable
    {
        public ITokenBoundConnection Connection { get; } = connection;

        public string TokenId { get; } = tokenId;

        public ITimer? Expiry { get; set; }

        public void Dispose()
        {
            owner._watched.TryRemove(this, out _);
            Expiry?.Dispose();
        }
    }

    private sealed class NotWatched : IDisposable
    {
        public static readonly NotWatched Instance = new();

        public void Dispose()
        {
        }
    }
}
