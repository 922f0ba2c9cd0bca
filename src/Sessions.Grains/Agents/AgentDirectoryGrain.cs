using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;

namespace Sessions.Grains;

/// <summary>
/// Listings of every agent's registration (see <see cref="IAgentDirectoryGrain"/>), read from the <c>agents</c> table:
/// a page spans many agents, so it is one query here rather than a call to each agent's grain. A stateless worker, so
/// listings run on the silo that is asked, side by side.
/// </summary>
[StatelessWorker]
[GrainType("agentdirectory")]
public sealed class AgentDirectoryGrain(AgentStore agents, IOptions<WebhookOptions> webhooks, IOptions<LimitsOptions> limits)
    : Grain, IAgentDirectoryGrain
{
    public async Task<AgentPage> ListAsync(PageQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new FieldErrors();
        var limit = PageRules.Limit(query.Limit, limits.Value, errors);
        errors.ThrowIfAny();
        var page = await PageRules.ReadAsync(() => agents.ListAsync(limit, query.Cursor, CancellationToken.None));

        return new AgentPage([.. page.Agents.Select(agent => agent.ToAgent(webhooks.Value))], page.NextCursor);
    }
}
