using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Sessions.Abstractions;

/// <summary>
/// The shape of a participant token, shared by the grain that issues tokens and the gateways that accept them:
/// <see cref="Prefix"/> and 256 random bits in unpadded base64url. Only <see cref="Hash"/> of a token is ever stored
/// or looked up; the prefix makes a leaked token recognizable to a secret scanner.
/// </summary>
public static class ParticipantTokens
{
    public const string Prefix = "sst_";

    /// <summary>How many random bytes a token carries.</summary>
    public const int RandomBytes = 32;

    private static readonly int RandomChars = Base64Url.GetEncodedLength(RandomBytes);

    /// <summary>SHA-256 of the token's characters: what is stored, and what a lookup is by.</summary>
    public static byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>True for a string that starts like a token (it is then judged as one, not as an admin key).</summary>
    public static bool LooksLikeToken(string credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return credential.StartsWith(Prefix, StringComparison.Ordinal);
    }

    /// <summary>The exact shape of an issued token: the prefix and 43 base64url characters.</summary>
    public static bool IsWellFormed(string credential) =>
        LooksLikeToken(credential)
        && credential.Length == Prefix.Length + RandomChars
        && Base64Url.IsValid(credential.AsSpan(Prefix.Length), out var decoded)
        && decoded == RandomBytes;
}
