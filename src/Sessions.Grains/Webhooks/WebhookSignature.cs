using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// Standard Webhooks signing (https://www.standardwebhooks.com). The receiver recomputes
/// HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}") and compares it with any <c>v1,</c> entry of
/// <c>webhook-signature</c>; the key is the base64-decoded part of the <c>whsec_</c> secret. The id is the delivery's,
/// the same on every retry, so a receiver can dedupe; the timestamp is taken afresh for each attempt, so a retry is
/// never rejected as stale by the receiver's tolerance window.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string Version = "v1";

    /// <summary>
    /// The <c>webhook-signature</c> value: one <c>v1,{base64}</c> entry per key, separated by spaces. During a secret
    /// rotation's grace period both the new and the old key sign, so a receiver holding either one accepts.
    /// </summary>
    public static string Sign(string webhookId, long unixSeconds, ReadOnlySpan<byte> body, IReadOnlyList<byte[]> keys)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        var entries = new string[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            entries[i] = $"{Version},{Convert.ToBase64String(Compute(keys[i], webhookId, unixSeconds, body))}";
        }

        return string.Join(' ', entries);
    }

    /// <summary>The raw HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>, without copying the body into a second buffer.</summary>
    public static byte[] Compute(byte[] key, string webhookId, long unixSeconds, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes($"{webhookId}.{unixSeconds.ToString(CultureInfo.InvariantCulture)}."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
