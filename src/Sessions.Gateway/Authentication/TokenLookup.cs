using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Sessions.Storage.Tokens;

namespace Sessions.Gateway.Authentication;

/// <summary>
/// Finds what a participant token stands for by its hash, remembering each answer (a miss too) for
/// <see cref="AuthOptions.TokenCacheDuration"/>, at most <see cref="AuthOptions.TokenCacheSize"/> of them. Validity is
/// judged at each request from the remembered row (so an expiry applies on the dot); a revocation elsewhere is seen
/// once the remembered row is dropped, and here at once (<see cref="Forget"/>).
/// </summary>
public sealed class TokenLookup : IDisposable
{
    private readonly ParticipantTokenStore _store;
    private readonly TimeSpan _duration;
    private readonly MemoryCache _cache;

    public TokenLookup(ParticipantTokenStore store, IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _duration = options.Value.TokenCacheDuration;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.TokenCacheSize });
    }

    internal async ValueTask<TokenHolder?> FindAsync(byte[] tokenHash, CancellationToken ct)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return await _store.FindByHashAsync(tokenHash, ct).ConfigureAwait(false);
        }

        var key = Convert.ToHexString(tokenHash);
        if (_cache.TryGetValue(key, out Remembered? remembered))
        {
            return remembered!.Holder;
        }

        var holder = await _store.FindByHashAsync(tokenHash, ct).ConfigureAwait(false);
        _cache.Set(key, new Remembered(holder), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _duration, Size = 1 });
        return holder;
    }

    /// <summary>Drops what is remembered of the token whose hash is <paramref name="tokenHash"/> (it was just revoked here).</summary>
    internal void Forget(byte[] tokenHash) => _cache.Remove(Convert.ToHexString(tokenHash));

    public void Dispose() => _cache.Dispose();

    // A class, so that "no such token" can be remembered too.
    private sealed record Remembered(TokenHolder? Holder);
}
