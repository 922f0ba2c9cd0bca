using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Sessions.Gateway.Authentication;

/// <summary>
/// The shape of the credentials the gateway accepts and makes. A credential is sent as an RFC 6750 bearer token, so it
/// is 1..<see cref="MaxLength"/> characters of the token68 alphabet. Participant tokens are <see cref="TokenPrefix"/>
/// and 256 random bits in base64url; generated admin keys are <see cref="AdminKeyPrefix"/> and the same. The prefixes
/// make a leaked credential recognizable (to a secret scanner, or a reader of a config file) for what it is.
/// </summary>
internal static class BearerCredentials
{
    public const string TokenPrefix = "sst_";
    public const string AdminKeyPrefix = "ssa_";

    /// <summary>The longest credential looked at; anything longer is malformed without further ado.</summary>
    public const int MaxLength = 512;

    private const int RandomBytes = 32;

    /// <summary>Base64url of 32 bytes, unpadded.</summary>
    private static readonly int RandomChars = Base64Url.GetEncodedLength(RandomBytes);

    public static string NewToken() => TokenPrefix + Random();

    public static string NewAdminKey() => AdminKeyPrefix + Random();

    /// <summary>What is stored of a token and what admin keys are compared by: SHA-256 of its characters.</summary>
    public static byte[] Hash(string credential) => SHA256.HashData(Encoding.UTF8.GetBytes(credential));

    /// <summary>1..MaxLength characters of token68 (RFC 7235): letters, digits, <c>-._~+/</c>, then any number of <c>=</c>.</summary>
    public static bool IsToken68(string credential)
    {
        if (credential.Length is 0 or > MaxLength)
        {
            return false;
        }

        var end = credential.Length;
        while (end > 1 && credential[end - 1] == '=')
        {
            end--;
        }

        foreach (var c in credential.AsSpan(0, end))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool LooksLikeToken(string credential) => credential.StartsWith(TokenPrefix, StringComparison.Ordinal);

    /// <summary>The exact shape of an issued token: the prefix and 43 base64url characters.</summary>
    public static bool IsWellFormedToken(string credential) =>
        credential.Length == TokenPrefix.Length + RandomChars
        && LooksLikeToken(credential)
        && Base64Url.IsValid(credential.AsSpan(TokenPrefix.Length), out var decoded)
        && decoded == RandomBytes;

    private static string Random() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));
}
