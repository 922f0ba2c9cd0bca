using System.Text;

namespace Sessions.Actors;

/// <summary>
/// Picks a grain's owner by rendezvous (highest-random-weight) hashing: every silo gets a score from a hash of
/// (grain id, silo address) and the highest score wins. Every process computes the same owner from the same
/// membership view, with no directory lookup, and a change of membership moves only the grains of the silo
/// that came or went.
/// </summary>
public static class RendezvousPlacement
{
    /// <summary>The owner of <paramref name="grain"/> among <paramref name="silos"/>; null when there are none.</summary>
    public static SiloAddress? Owner(GrainId grain, IReadOnlyList<SiloAddress> silos)
    {
        if (silos.Count == 0)
        {
            return null;
        }

        var grainHash = StableHash.Of(grain.Type, grain.Key);
        var best = silos[0];
        var bestScore = Score(grainHash, best);
        for (var i = 1; i < silos.Count; i++)
        {
            var score = Score(grainHash, silos[i]);
            if (score > bestScore)
            {
                (best, bestScore) = (silos[i], score);
            }
        }

        return best;
    }

    private static ulong Score(ulong grainHash, SiloAddress silo) =>
        StableHash.Mix(grainHash ^ StableHash.Of(silo.Host, silo.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), silo.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>
/// A 64-bit hash that is the same in every process and on every machine (unlike <see cref="HashCode"/>):
/// FNV-1a over UTF-8, then a SplitMix64 finalizer so that nearby inputs spread over the whole range.
/// </summary>
internal static class StableHash
{
    public static ulong Of(params string[] parts)
    {
        var hash = 14695981039346656037UL;
        Span<byte> buffer = stackalloc byte[256];
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetByteCount(part) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(part, buffer)] : Encoding.UTF8.GetBytes(part);
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            hash = (hash ^ 0xFF) * 1099511628211UL; // separator, so ("ab","c") and ("a","bc") differ
        }

        return Mix(hash);
    }

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
