using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Sessions.Grains.Webhooks;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Sessions.Grains.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

    [Fact]
    public void The_signature_is_the_spec_s_hmac_of_id_timestamp_and_body_under_the_decoded_secret()
    {
        // The algorithm as the Standard Webhooks spec states it, written out here apart from the code under test.
        var key = Convert.FromBase64String(Senders.Secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes("msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.").Concat(Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));

        var header = WebhookSignature.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Body, [WebhookSecret.TryDecode(Senders.Secret)!]);

        Assert.Equal(expected, header);
    }

    [Fact]
    public void The_spec_s_published_example_signs_the_same()
    {
        // The example of the Standard Webhooks reference libraries: secret, id, timestamp and payload give this signature.
        var header = WebhookSignature.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Body, [WebhookSecret.TryDecode(Senders.Secret)!]);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", header);
    }

    [Fact]
    public void During_a_rotation_both_secrets_sign_and_either_verifies_alone()
    {
        var newSecret = WebhookSecret.Generate();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = WebhookSignature.Sign("msg_1", timestamp, Body, [WebhookSecret.TryDecode(newSecret)!, WebhookSecret.TryDecode(Senders.Secret)!]);

        var entries = header.Split(' ');
        Assert.Equal(2, entries.Length);
        Assert.All(entries, entry => Assert.StartsWith("v1,", entry, StringComparison.Ordinal));

        // Each entry checked alone: StandardWebhooks 1.1.2 never matches the last entry of a header holding several
        // (it compares that one against the whole header), so the header as sent would test the library, not us.
        Assert.All(
            new[] { (newSecret, entries[0]), (Senders.Secret, entries[1]) },
            pair => new StandardWebhook(pair.Item1).Verify(Encoding.UTF8.GetString(Body), Headers("msg_1", timestamp, pair.Item2)));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(Senders.Secret).Verify(Encoding.UTF8.GetString(Body), Headers("msg_1", timestamp, entries[0])));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSecret.Generate()).Verify(Encoding.UTF8.GetString(Body), Headers("msg_1", timestamp, header)));
    }

    private static HeaderDictionary Headers(string id, long timestamp, string signature) => new()
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["webhook-signature"] = signature,
    };
}
