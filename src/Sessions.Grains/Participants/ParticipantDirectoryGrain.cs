using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Sessions.Storage.Participants;

namespace Sessions.Grains;

/// <summary>The listing of every participant, read from the store on the calling silo (a stateless worker holds nothing).</summary>
[GrainType("participantdirectory"), StatelessWorker]
public sealed class ParticipantDirectoryGrain(ParticipantStore participants, IOptions<LimitsOptions> limits) : Grain, IParticipantDirectoryGrain
{
    public async Task<ParticipantPage> ListAsync(PageQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new FieldErrors();
        var limit = PageRules.Limit(query.Limit, limits.Value, errors);
        errors.ThrowIfAny();
        return await PageRules.ReadAsync(() => participants.ListAsync(limit, query.Cursor, CancellationToken.None));
    }
}
