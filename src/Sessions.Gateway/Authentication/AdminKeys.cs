using System.Security.Cryptography;

namespace Sessions.Gateway.Authentication;

/// <summary>
/// The admin keys this gateway accepts, kept as SHA-256 hashes only. A presented credential is hashed once and compared
/// with every key in fixed time, without stopping at a match, so neither the comparison nor the number of keys tried
/// tells an attacker how close a guess came. Several keys may be valid at once, so that a key can be rotated.
/// </summary>
public sealed class AdminKeys
{
    /// <summary>The shortest admin key accepted from configuration: 32 characters.</summary>
    public const int MinLength = 32;

    private readonly byte[][] _hashes;
    private readonly string[] _ids;

    public AdminKeys(IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("At least one admin key is needed.", nameof(keys));
        }

        _hashes = [.. keys.Select(BearerCredentials.Hash)];
        _ids = [.. _hashes.Select(IdOf)];
    }

    public int Count => _hashes.Length;

    /// <summary>
    /// The id of the admin key whose hash is <paramref name="credentialHash"/>, or null. The id is a fingerprint (a
    /// prefix of the key's hash): safe to log, stable across restarts, and the partition of per-credential limits.
    /// </summary>
    internal string? Match(ReadOnlySpan<byte> credentialHash)
    {
        string? matched = null;
        for (var i = 0; i < _hashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(_hashes[i], credentialHash))
            {
                matched = _ids[i];
            }
        }

        return matched;
    }

    /// <summary>Why <paramref name="key"/> cannot be an admin key, or null when it can; never quotes the key.</summary>
    public static string? Refusal(string key) =>
        key.Length < MinLength ? $"must be at least {MinLength} characters long (a random key of 256 bits or more)"
        : !BearerCredentials.IsToken68(key) ? $"must be at most {BearerCredentials.MaxLength} characters of letters, digits and - . _ ~ + / (then any '='), as a bearer token is"
        : null;

    /// <summary>A new admin key: <c>ssa_</c> and 256 random bits, for a host that makes its own (see its data folder's <c>admin.key</c>).</summary>
    public static string Generate() => BearerCredentials.NewAdminKey();

    // 12 hex digits of SHA-256: enough to tell keys apart in logs, nothing to guess a 256-bit key from.
    private static string IdOf(byte[] hash) => "admin:" + Convert.ToHexStringLower(hash.AsSpan(0, 6));
}
