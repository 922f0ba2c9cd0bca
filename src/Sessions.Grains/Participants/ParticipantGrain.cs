using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Storage.Participants;
using Sessions.Storage.Tokens;

namespace Sessions.Grains;

/// <summary>
/// One participant and its bearer tokens. The row lives in PostgreSQL; the activation remembers it once found, since a
/// participant never changes, but never remembers that one is missing: an agent's registration creates its participant
/// in the store, in the registration's own transaction, without passing through this grain.
/// A token's value exists only in the answer to <see cref="IssueTokenAsync"/>; the store keeps its SHA-256.
/// The grain type name is pinned, so renaming the class cannot change the identity of existing participants' grains.
/// </summary>
[GrainType("participant")]
public sealed partial class ParticipantGrain(
    ParticipantStore participants,
    ParticipantTokenStore tokens,
    IOptions<LimitsOptions> limits,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    ILogger<ParticipantGrain> logger) : Grain, IParticipantGrain
{
    private readonly LimitsOptions _limits = limits.Value;
    private Participant? _participant;

    private string Id => this.GetPrimaryKeyString();

    public async Task<Participant> CreateAsync(CreateParticipantCommand command)
    {
        var errors = ParticipantRules.Check(Id, command, _limits);
        if (errors.Has("id"))
        {
            DeactivateOnIdle();
        }

        errors.ThrowIfAny();
        if (_participant is not null)
        {
            throw AlreadyExists();
        }

        // JSON null metadata is no metadata, as for sessions and messages.
        var metadata = command.Metadata is { ValueKind: System.Text.Json.JsonValueKind.Null } ? null : command.Metadata;
        _participant = await participants.TryInsertAsync(Id, command.Kind!.Value, command.DisplayName, metadata, CancellationToken.None)
            ?? throw AlreadyExists();
        LogCreated(logger, Id, _participant.Kind);
        return _participant;
    }

    public async Task<Participant> GetAsync() => await FindAsync() ?? throw SessionErrors.UnknownParticipant(Id);

    public async Task<IssuedToken> IssueTokenAsync(IssueTokenCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.ExpiresAt <= clock.GetUtcNow())
        {
            throw SessionErrors.Invalid("expires_at", "expires_at must be in the future.");
        }

        if (NamesNoParticipant())
        {
            throw SessionErrors.UnknownParticipant(Id);
        }

        // Version 7: ids sort by creation time, so a listing by id is oldest first.
        var token = TokenValues.New();
        var stored = await tokens.CreateAsync(
            Guid.CreateVersion7(clock.GetUtcNow()).ToString("N"), Id, ParticipantTokens.Hash(token), command.ExpiresAt, CancellationToken.None)
            ?? throw SessionErrors.UnknownParticipant(Id);
        LogTokenIssued(logger, Id, stored.Id);
        return new IssuedToken(stored.Id, stored.ParticipantId, token, stored.CreatedAt, stored.ExpiresAt);
    }

    public async Task<TokenPage> ListTokensAsync(PageQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new FieldErrors();
        var limit = PageRules.Limit(query.Limit, _limits, errors);
        errors.ThrowIfAny();
        await RequireAsync();

        var page = await PageRules.ReadAsync(() => tokens.ListAsync(Id, limit, query.Cursor, CancellationToken.None));
        var now = clock.GetUtcNow();
        return new TokenPage([.. page.Tokens.Select(t => t.ToToken(now))], page.NextCursor);
    }

    public async Task<ParticipantToken> RevokeTokenAsync(string tokenId)
    {
        // Neither id can be stored unless it meets the id rule: no query for one that does not.
        var revoked = !NamesNoParticipant() && IdRule.IsValid(tokenId, _limits)
            ? await tokens.RevokeAsync(Id, tokenId, CancellationToken.None)
            : null;
        if (revoked is null)
        {
            await RequireAsync();
            throw new SessionException(SessionErrors.TokenNotFound, $"Participant '{Id}' has no token '{tokenId}'.");
        }

        LogTokenRevoked(logger, Id, revoked.Id);
        return revoked.ToToken(clock.GetUtcNow());
    }

    /// <summary>The participant, from the activation once it was found; null while it does not exist.</summary>
    private async Task<Participant?> FindAsync()
    {
        if (_participant is null && !NamesNoParticipant())
        {
            _participant = await participants.GetAsync(Id, CancellationToken.None);
        }

        return _participant;
    }

    /// <summary>
    /// True for a key that breaks the id rule (a cluster client may pass any string): it names no participant, so it
    /// is not worth a query, nor an activation kept in memory.
    /// </summary>
    private bool NamesNoParticipant()
    {
        if (IdRule.IsValid(Id, _limits))
        {
            return false;
        }

        DeactivateOnIdle();
        return true;
    }

    private async Task RequireAsync()
    {
        if (await FindAsync() is null)
        {
            throw SessionErrors.UnknownParticipant(Id);
        }
    }

    private SessionException AlreadyExists() =>
        new(SessionErrors.ParticipantAlreadyExists, $"Participant '{Id}' already exists.");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Participant {ParticipantId} created ({Kind})")]
    private static partial void LogCreated(ILogger logger, string participantId, ParticipantKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Participant {ParticipantId}: token {TokenId} issued")]
    private static partial void LogTokenIssued(ILogger logger, string participantId, string tokenId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Participant {ParticipantId}: token {TokenId} revoked")]
    private static partial void LogTokenRevoked(ILogger logger, string participantId, string tokenId);
}
