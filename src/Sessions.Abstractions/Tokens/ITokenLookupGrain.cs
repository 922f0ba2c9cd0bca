using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// How a gateway learns what a presented token stands for, by its hash (<see cref="ParticipantTokens.Hash"/>), and
/// which of the tokens its open connections hold stopped working. A stateless worker: call it with key 0; it runs on
/// the calling silo, so a lookup costs one query and no hop. Callers cache its answers (the gateway for a few seconds).
/// </summary>
[Alias("Sessions.ITokenLookupGrain")]
public interface ITokenLookupGrain : IGrainWithIntegerKey
{
    /// <summary>The token whose SHA-256 is <paramref name="tokenHash"/>, revoked and expired ones included; null when there is none.</summary>
    [ReadOnly, Alias("FindAsync")]
    Task<TokenHolder?> FindAsync(byte[] tokenHash);

    /// <summary>Those of <paramref name="tokenIds"/> that can no longer be used now (revoked, expired or gone), with the reason.</summary>
    [ReadOnly, Alias("FindUnusableAsync")]
    Task<IReadOnlyList<UnusableToken>> FindUnusableAsync(IReadOnlyList<string> tokenIds);
}

/// <summary>What a token hash stands for: the token and the participant it was issued to (with its kind).</summary>
[GenerateSerializer, Immutable, Alias("Sessions.TokenHolder")]
public sealed record TokenHolder(
    [property: Id(0)] string TokenId,
    [property: Id(1)] string ParticipantId,
    [property: Id(2)] ParticipantKind ParticipantKind,
    [property: Id(3)] DateTimeOffset? ExpiresAt,
    [property: Id(4)] DateTimeOffset? RevokedAt);

/// <summary>Why a token that was valid no longer is.</summary>
[GenerateSerializer, Alias("Sessions.TokenUnusableReason")]
public enum TokenUnusableReason
{
    Revoked = 0,
    Expired = 1,

    /// <summary>The token is no longer stored (its participant was deleted).</summary>
    Gone = 2,
}

/// <summary>A token that can no longer be used, and why.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.UnusableToken")]
public sealed record UnusableToken(
    [property: Id(0)] string TokenId,
    [property: Id(1)] TokenUnusableReason Reason);
