using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;

namespace Sessions.Grains;

/// <summary>
/// One agent's webhook registration (see <see cref="IAgentGrain"/>). The <c>agents</c> row is the truth and is read on
/// every call, because the dispatcher writes it too (it disables an agent whose endpoint answered 410). The grain's part
/// is the rules, and its single activation runs one change of an agent at a time, so the check of an update against
/// the stored settings (the first retry no longer than the longest) cannot interleave with another update.
/// The grain type name is pinned, so renaming the class cannot change the identity of existing agents.
/// </summary>
[GrainType("agent")]
public sealed partial class AgentGrain(
    AgentStore agents,
    WebhookUrlCheck urls,
    IOptions<WebhookOptions> webhooks,
    IOptions<LimitsOptions> limits,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider time,
    ILogger<AgentGrain> logger) : Grain, IAgentGrain
{
    private readonly WebhookOptions _options = webhooks.Value;

    private string AgentId => this.GetPrimaryKeyString();

    public async Task<RegisteredAgent> RegisterAsync(RegisterAgentCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new FieldErrors();
        if (!HasValidId())
        {
            errors.Add("id", $"id {IdRule.Describe(limits.Value)}.");
        }

        if (command.Url is null)
        {
            errors.Add("url", "url is required.");
        }
        else if (command.Url.Length == 0)
        {
            errors.Add("url", "url must not be empty.");
        }

        AgentRules.CheckSecret(command.Secret, errors);
        var update = AgentRules.ReadUpdate(command.Settings, command.Status, _options, errors);
        var settings = AgentRules.Apply(new AgentSettings(), update);
        AgentRules.CheckDelays(settings, _options, errors);
        await urls.AddRefusalAsync(command.Url, errors, CancellationToken.None);
        errors.ThrowIfAny();

        var secret = command.Secret ?? WebhookSecret.Generate();
        var (status, reason) = update.Status.IsSet ? update.Status.Value : (AgentStatus.Enabled, null);
        var outcome = await agents.CreateAsync(new NewAgent(AgentId, command.Url!, secret, settings, status, reason), CancellationToken.None);
        switch (outcome)
        {
            case AgentCreateOutcome.Created created:
                LogRegistered(logger, AgentId, created.ParticipantCreated);
                return new RegisteredAgent(created.Agent.ToAgent(_options), secret);
            case AgentCreateOutcome.ParticipantNotAgent other:
                throw new SessionException(SessionErrors.ParticipantNotAgent,
                    $"Participant '{AgentId}' is a {KindText(other.Kind)}, not an agent: only agents have webhooks.");
            default:
                throw new SessionException(SessionErrors.AgentExists,
                    $"Agent '{AgentId}' already has a webhook registration; change it with PUT /api/agents/{AgentId}.");
        }
    }

    public async Task<Agent> GetAsync() => (await FindAsync()).ToAgent(_options);

    public async Task<Agent> UpdateAsync(UpdateAgentCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var current = await FindAsync();
        var errors = new FieldErrors();
        if (command.Url is { Length: 0 })
        {
            errors.Add("url", "url must not be empty.");
        }

        var update = AgentRules.ReadUpdate(command.Settings, command.Status, _options, errors);
        AgentRules.CheckDelays(AgentRules.Apply(current.Settings, update), _options, errors);
        await urls.AddRefusalAsync(command.Url, errors, CancellationToken.None);
        errors.ThrowIfAny();

        var updated = await agents.UpdateAsync(AgentId, update with { Url = command.Url is null ? default : Change<string>.To(command.Url) }, CancellationToken.None);
        return (updated ?? throw NotFound()).ToAgent(_options);
    }

    public async Task<RotatedSecret> RotateSecretAsync(RotateSecretCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = new FieldErrors();
        AgentRules.CheckSecret(command.Secret, errors);
        errors.ThrowIfAny();
        RequireValidId();

        var secret = command.Secret ?? WebhookSecret.Generate();
        var graceUntil = time.GetUtcNow() + _options.SecretRotationGrace;
        var rotated = await agents.RotateSecretAsync(AgentId, secret, graceUntil, CancellationToken.None) ?? throw NotFound();
        LogRotated(logger, AgentId, rotated.PreviousSecretExpiresAt!.Value);
        return new RotatedSecret(secret, rotated.PreviousSecretExpiresAt.Value);
    }

    public async Task DeleteAsync()
    {
        RequireValidId();
        if (!await agents.DeleteAsync(AgentId, CancellationToken.None))
        {
            throw NotFound();
        }

        LogDeleted(logger, AgentId);
    }

    private async Task<AgentRow> FindAsync()
    {
        RequireValidId();
        return await agents.GetAsync(AgentId, CancellationToken.None) ?? throw NotFound();
    }

    private bool HasValidId()
    {
        if (IdRule.IsValid(AgentId, limits.Value))
        {
            return true;
        }

        // A key no agent can have (a cluster client may pass any string): nothing to keep it for.
        DeactivateOnIdle();
        return false;
    }

    /// <summary>An id that breaks the id rule names no agent: not found, without asking the database.</summary>
    private void RequireValidId()
    {
        if (!HasValidId())
        {
            throw NotFound();
        }
    }

    private SessionException NotFound() =>
        new(SessionErrors.AgentNotFound, $"No webhook is registered for agent '{AgentId}'.");

    private static string KindText(ParticipantKind kind) => kind switch
    {
        ParticipantKind.Human => "human",
        ParticipantKind.System => "system participant",
        _ => kind.ToString(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} registered a webhook (new participant: {ParticipantCreated})")]
    private static partial void LogRegistered(ILogger logger, string agentId, bool participantCreated);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} signs with a new secret; the old one until {GraceUntil}")]
    private static partial void LogRotated(ILogger logger, string agentId, DateTimeOffset graceUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId}'s webhook registration was removed")]
    private static partial void LogDeleted(ILogger logger, string agentId);
}
