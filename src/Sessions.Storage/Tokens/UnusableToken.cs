namespace Sessions.Storage.Tokens;

/// <summary>Why a token that was valid no longer is.</summary>
public enum TokenUnusableReason
{
    Revoked,
    Expired,

    /// <summary>The token is no longer stored (its participant was deleted).</summary>
    Gone,
}

/// <summary>A token that can no longer be used, and why.</summary>
public sealed record UnusableToken(string TokenId, TokenUnusableReason Reason);
