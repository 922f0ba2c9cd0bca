using System.Security.Cryptography;
using System.Text;
using Sessions.Gateway.Authentication;

namespace Sessions.Gateway.Tests.Authentication;

public sealed class BearerCredentialsTests
{
    [Fact]
    public void A_participant_token_is_well_formed_and_a_bearer_credential()
    {
        // Tokens are made by the participant grain (its tests pin the generator); the gateway checks their shape.
        var token = ParticipantTokens.Prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(ParticipantTokens.RandomBytes));

        Assert.True(ParticipantTokens.IsWellFormed(token));
        Assert.True(BearerCredentials.IsToken68(token));
    }

    [Fact]
    public void A_new_admin_key_is_accepted_as_an_admin_key()
    {
        var key = BearerCredentials.NewAdminKey();

        Assert.StartsWith(BearerCredentials.AdminKeyPrefix, key, StringComparison.Ordinal);
        Assert.Null(AdminKeys.Refusal(key));
    }

    [Fact]
    public void The_hash_is_sha256_of_the_characters()
    {
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes("sst_x")), BearerCredentials.Hash("sst_x"));
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("a-b.c_d~e+f/g==", true)]
    [InlineData("==", false)]
    [InlineData("a=b", false)]
    [InlineData("a b", false)]
    [InlineData("a\"b", false)]
    [InlineData("é", false)]
    [InlineData("", false)]
    public void Token68_is_what_a_bearer_header_can_carry(string credential, bool valid)
    {
        Assert.Equal(valid, BearerCredentials.IsToken68(credential));
    }

    [Fact]
    public void Admin_keys_match_by_hash_and_name_the_key_by_a_fingerprint_only()
    {
        var keys = new AdminKeys(["first-admin-key-0123456789abcdefghijkl", "second-admin-key-0123456789abcdefghijk"]);

        var first = keys.Match(BearerCredentials.Hash("first-admin-key-0123456789abcdefghijkl"));
        var second = keys.Match(BearerCredentials.Hash("second-admin-key-0123456789abcdefghijk"));

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Matches("^admin:[0-9a-f]{12}$", first);
        Assert.Null(keys.Match(BearerCredentials.Hash("first-admin-key-0123456789abcdefghijkm")));
    }
}
