using System.Buffers.Text;
using System.Security.Cryptography;

namespace Sessions.Gateway.Authentication;

/// <summary>
/// The shape of the credentials the gateway accepts, and of the admin keys it makes. A credential is sent as an RFC 6750
/// bearer token, so it is 1..<see cref="MaxLength"/> characters of the token68 alphabet. Participant tokens are made by
/// the participant grain in the shape of <see cref="ParticipantTokens"/>; generated admin keys are
/// <see cref="AdminKeyPrefix"/> and 256 random bits in base64url. The prefixes make a leaked credential recognizable
/// (to a secret scanner, or a reader of a config file) for what it is.
/// </summary>
internal static class BearerCredentials
{
    public const string AdminKeyPrefix = "ssa_";

    /// <summary>The longest credential looked at; anything longer is malformed without further ado.</summary>
    public const int MaxLength = 512;

    private const int RandomBytes = 32;

    public static string NewAdminKey() => AdminKeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>
    /// What admin keys are compared by: SHA-256 of the characters, the very hash a participant token is stored and
    /// looked up by (<see cref="ParticipantTokens.Hash"/>), so a presented credential is hashed once for both.
    /// </summary>
    public static byte[] Hash(string credential) => ParticipantTokens.Hash(credential);

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
}
