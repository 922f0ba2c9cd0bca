using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Sessions.Storage.Sessions;

namespace Sessions.Grains;

/// <summary>
/// A participant's sessions, read from the store on the calling silo without waking the sessions' grains (a stateless
/// worker holds nothing). The participant id is a filter, not a key: any storable text without control characters.
/// </summary>
[GrainType("sessiondirectory"), StatelessWorker]
public sealed class SessionDirectoryGrain(SessionStore sessions, IOptions<LimitsOptions> limits) : Grain, ISessionDirectoryGrain
{
    private static readonly string StatusNames = string.Join(", ", Enum.GetValues<SessionStatus>().Select(s => s.ToString().ToLowerInvariant()));

    public async Task<SessionPage> ListByParticipantAsync(SessionListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new FieldErrors();
        if (query.ParticipantId is null)
        {
            errors.Add("participant_id", "participant_id is required.");
        }
        else if (query.ParticipantId.Length == 0)
        {
            errors.Add("participant_id", "participant_id must not be empty.");
        }
        else if (StorableText.HasControlCharacter(query.ParticipantId) || !StorableText.IsStorable(query.ParticipantId))
        {
            errors.Add("participant_id", "participant_id must not contain control characters.");
        }

        if (query.Status is { } status && !Enum.IsDefined(status))
        {
            errors.Add("status", $"status must be one of {StatusNames}.");
        }

        var limit = PageRules.Limit(query.Limit, limits.Value, errors);
        errors.ThrowIfAny();
        return await PageRules.ReadAsync(() =>
            sessions.ListByParticipantAsync(query.ParticipantId!, query.Status, limit, query.Cursor, CancellationToken.None));
    }
}
