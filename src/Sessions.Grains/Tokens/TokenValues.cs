using System.Buffers.Text;
using System.Security.Cryptography;

namespace Sessions.Grains;

/// <summary>Makes the values of new participant tokens, in the shape <see cref="ParticipantTokens"/> describes and gateways check.</summary>
internal static class TokenValues
{
    /// <summary><see cref="ParticipantTokens.Prefix"/> and <see cref="ParticipantTokens.RandomBytes"/> bytes from a CSPRNG, in unpadded base64url.</summary>
    public static string New() =>
        ParticipantTokens.Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(ParticipantTokens.RandomBytes));
}
