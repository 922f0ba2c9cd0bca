using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Sessions.Gateway.Calls;

namespace Sessions.Gateway.Authentication;

/// <summary>
/// Finds what a participant token stands for by its hash (<see cref="ITokenLookupGrain"/>), remembering each answer (a
/// miss too) for <see cref="AuthOptions.TokenCacheDuration"/>, at most <see cref="AuthOptions.TokenCacheSize"/> of them.
/// Validity is judged at each request from the remembered holder (so an expiry applies on the dot); a revocation
/// elsewhere is seen once the remembered holder is dropped, and here at once (<see cref="Forget"/>).
/// </summary>
public sealed class TokenLookup : IDisposable
{
    private readonly ITokenLookupGrain _grain;
    private readonly GrainCalls _calls;
    private readonly TimeSpan _duration;
    private readonly MemoryCache _cache;

    // A revocation names the token by its id, and the cache knows it by its hash: which entry holds which token.
    private readonly ConcurrentDictionary<string, Remembered> _byTokenId = new(StringComparer.Ordinal);

    public TokenLookup(GrainCalls calls, IOptions<AuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(options);
        _grain = calls.Get<ITokenLookupGrain>(0);
        _calls = calls;
        _duration = options.Value.TokenCacheDuration;
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.TokenCacheSize });
    }

    internal async ValueTask<TokenHolder?> FindAsync(byte[] tokenHash)
    {
        if (_duration <= TimeSpan.Zero)
        {
            return await FindUncachedAsync(tokenHash).ConfigureAwait(false);
        }

        var key = Convert.ToHexString(tokenHash);
        if (_cache.TryGetValue(key, out Remembered? remembered))
        {
            return remembered!.Holder;
        }

        var holder = await FindUncachedAsync(tokenHash).ConfigureAwait(false);
        var remembering = new Remembered(key, holder);
        var entry = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _duration, Size = 1 };
        if (holder is not null)
        {
            _byTokenId[holder.TokenId] = remembering;

            // Evictions are reported later, on another thread: only this entry's own mapping goes with it, never a newer one's.
            entry.RegisterPostEvictionCallback(static (_, value, _, state) =>
            {
                var byTokenId = (ConcurrentDictionary<string, Remembered>)state!;
                var evicted = (Remembered)value!;
                byTokenId.TryRemove(KeyValuePair.Create(evicted.Holder!.TokenId, evicted));
            }, _byTokenId);
        }

        _cache.Set(key, remembering, entry);
        return holder;
    }

    /// <summary>Drops what is remembered of token <paramref name="tokenId"/> (it was just revoked here).</summary>
    internal void Forget(string tokenId)
    {
        if (_byTokenId.TryRemove(tokenId, out var remembered))
        {
            _cache.Remove(remembered.Key);
        }
    }

    public void Dispose() => _cache.Dispose();

    // A read: resent if a silo fails under it.
    private ValueTask<TokenHolder?> FindUncachedAsync(byte[] tokenHash) => _calls.RetrySafeAsync(() => _grain.FindAsync(tokenHash));

    // A class, so that "no such token" can be remembered too, and an entry is told from a newer one for the same token.
    private sealed class Remembered(string key, TokenHolder? holder)
    {
        public string Key { get; } = key;

        public TokenHolder? Holder { get; } = holder;
    }
}
