using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// One participant (a human, an agent or a system), keyed by its id, and the bearer tokens issued to it. A participant
/// never changes once created. Refusals are <see cref="SessionException"/>s.
/// </summary>
[Alias("Sessions.IParticipantGrain")]
public interface IParticipantGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the participant whose id is this grain's key. Fails with
    /// <see cref="SessionErrors.ParticipantAlreadyExists"/>, or with one <see cref="SessionErrors.Validation"/> error
    /// naming every rule broken (<c>id</c>: <see cref="IdRule"/>; <c>kind</c>; <c>display_name</c>; <c>metadata</c>).
    /// </summary>
    [Alias("CreateAsync")]
    Task<Participant> CreateAsync(CreateParticipantCommand command);

    /// <summary>The participant; fails with <see cref="SessionErrors.ParticipantNotFound"/>.</summary>
    [ReadOnly, Alias("GetAsync")]
    Task<Participant> GetAsync();

    /// <summary>
    /// Issues a bearer token that acts as this participant: its value is in the answer and nowhere else, ever (only
    /// its SHA-256 is stored, see <see cref="ParticipantTokens"/>). Fails with
    /// <see cref="SessionErrors.ParticipantNotFound"/>, or a <see cref="SessionErrors.Validation"/> error on
    /// <c>expires_at</c> when it is not in the future.
    /// </summary>
    [Alias("IssueTokenAsync")]
    Task<IssuedToken> IssueTokenAsync(IssueTokenCommand command);

    /// <summary>A page of the participant's tokens, oldest first, never their values; fails with <see cref="SessionErrors.ParticipantNotFound"/>.</summary>
    [ReadOnly, Alias("ListTokensAsync")]
    Task<TokenPage> ListTokensAsync(PageQuery query);

    /// <summary>
    /// Revokes token <paramref name="tokenId"/> at once (revoking it again keeps the first time) and returns it.
    /// Fails with <see cref="SessionErrors.TokenNotFound"/>, or <see cref="SessionErrors.ParticipantNotFound"/>.
    /// </summary>
    [RetrySafe, Alias("RevokeTokenAsync")]
    Task<ParticipantToken> RevokeTokenAsync(string tokenId);
}

/// <summary>
/// What a new participant is made of; its id is the key of the grain that receives it. <see cref="Kind"/> is required
/// (null is refused, so a caller that forgot it hears so together with every other broken rule).
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.CreateParticipantCommand")]
public sealed record CreateParticipantCommand(
    [property: Id(0)] ParticipantKind? Kind,
    [property: Id(1)] string? DisplayName = null,
    [property: Id(2)] System.Text.Json.JsonElement? Metadata = null);
