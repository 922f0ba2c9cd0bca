using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Sessions.Storage.Tokens;

namespace Sessions.Grains;

/// <summary>
/// What presented tokens stand for, read from the store on the calling silo (a stateless worker holds nothing, so a
/// revocation is seen by the next call). Callers cache the answers themselves.
/// </summary>
[GrainType("tokenlookup"), StatelessWorker]
public sealed class TokenLookupGrain(ParticipantTokenStore tokens, IOptions<LimitsOptions> limits, [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock) : Grain, ITokenLookupGrain
{
    public async Task<TokenHolder?> FindAsync(byte[] tokenHash)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);

        // Only SHA-256 hashes are stored: anything else matches nothing.
        return tokenHash.Length == SHA256.HashSizeInBytes
            ? await tokens.FindByHashAsync(tokenHash, CancellationToken.None)
            : null;
    }

    public async Task<IReadOnlyList<UnusableToken>> FindUnusableAsync(IReadOnlyList<string> tokenIds)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);

        // An id that breaks the id rule was never stored, so it is gone; only the others are worth a query.
        var storable = tokenIds.Where(id => IdRule.IsValid(id, limits.Value)).Distinct(StringComparer.Ordinal).ToList();
        var unusable = storable.Count == 0 ? [] : await tokens.FindUnusableAsync(storable, clock.GetUtcNow(), CancellationToken.None);
        var malformed = tokenIds.Where(id => !IdRule.IsValid(id, limits.Value)).Distinct(StringComparer.Ordinal);
        return [.. unusable, .. malformed.Select(id => new UnusableToken(id, TokenUnusableReason.Gone))];
    }
}
