using System.Security.Cryptography;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// Signing secrets as Standard Webhooks spells them: <c>whsec_</c> and the base64 of the key bytes. The HMAC key is the
/// decoded bytes, not the text.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>The key length of a generated secret: 32 random bytes, 256 bits.</summary>
    public const int GeneratedKeyBytes = 32;

    /// <summary>The shortest key accepted in a secret an agent brings: 24 bytes.</summary>
    public const int MinKeyBytes = 24;

    /// <summary>The longest key accepted: 64 bytes.</summary>
    public const int MaxKeyBytes = 64;

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedKeyBytes));

    /// <summary>The key bytes of <paramref name="secret"/>, or null when it is not a well-formed secret of an accepted length.</summary>
    public static byte[]? TryDecode(string? secret)
    {
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var text = secret.AsSpan(Prefix.Length);
        var key = new byte[text.Length];
        return Convert.TryFromBase64Chars(text, key, out var length) && length is >= MinKeyBytes and <= MaxKeyBytes ? key[..length] : null;
    }
}
