using Orleans.Concurrency;

namespace Sessions.Abstractions;

/// <summary>
/// One agent's webhook registration, keyed by the agent participant's id: where its sessions' new messages are
/// delivered, how (timeouts, retries, debounce, history), and the secret they are signed with. It holds the rules of a
/// registration: the bounds of every setting and the webhook URL policy (absolute http(s), and a host whose every
/// address the silo's policy allows). Refusals are <see cref="SessionException"/>s; a
/// <see cref="SessionErrors.Validation"/> error names every broken rule at once, an undefined enum value included. A key
/// that breaks <see cref="IdRule"/> is a validation error on <c>id</c> for a registration and
/// <see cref="SessionErrors.AgentNotFound"/> for every other call.
/// </summary>
[Alias("Sessions.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers a webhook for the agent, creating the agent participant first when no participant has this id. The
    /// answer carries the signing secret, the only time besides a rotation that it is shown. Fails with
    /// <see cref="SessionErrors.AgentExists"/>, <see cref="SessionErrors.ParticipantNotAgent"/> (the id names a human or
    /// a system participant), or <see cref="SessionErrors.Validation"/>.
    /// </summary>
    [Alias("RegisterAsync")]
    Task<RegisteredAgent> RegisterAsync(RegisterAgentCommand command);

    /// <summary>The registration with its effective settings (defaults filled in); fails with <see cref="SessionErrors.AgentNotFound"/>.</summary>
    [ReadOnly, Alias("GetAsync")]
    Task<Agent> GetAsync();

    /// <summary>
    /// Changes what the command sets and keeps the rest; a setting set to null returns to the configured default.
    /// Disabling records the reason <c>manual</c>; enabling clears the reason. Enabling wakes no dispatcher by itself:
    /// the messages held back meanwhile go out when the cluster's dispatch sweep finds their sessions behind (every
    /// <c>Sessions:Webhooks:DispatchSweepPeriod</c>, for messages older than <c>DispatchSweepGrace</c>) or when the
    /// session's next message arrives; a delivery already under way when the agent was disabled failed at its next
    /// attempt, and can be redelivered (<see cref="IDeliveryLogGrain"/>). Fails with <see cref="SessionErrors.AgentNotFound"/> or
    /// <see cref="SessionErrors.Validation"/>. The same update sent twice ends in the same registration.
    /// </summary>
    [RetrySafe, Alias("UpdateAsync")]
    Task<Agent> UpdateAsync(UpdateAgentCommand command);

    /// <summary>
    /// Signs with a new secret from now on (the given one, or a generated one); the old one still signs alongside until
    /// the configured grace period ends. Fails with <see cref="SessionErrors.AgentNotFound"/> or a
    /// <see cref="SessionErrors.Validation"/> error on <c>secret</c>.
    /// </summary>
    [Alias("RotateSecretAsync")]
    Task<RotatedSecret> RotateSecretAsync(RotateSecretCommand command);

    /// <summary>Removes the registration (the agent participant and its delivery log stay); fails with <see cref="SessionErrors.AgentNotFound"/>.</summary>
    [Alias("DeleteAsync")]
    Task DeleteAsync();
}

/// <summary>
/// Reads that span many agents. A stateless worker: call it with key 0 (<c>GetGrain&lt;IAgentDirectoryGrain&gt;(0)</c>).
/// </summary>
[Alias("Sessions.IAgentDirectoryGrain")]
public interface IAgentDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>A page of every registration by ascending agent id, with effective settings.</summary>
    [ReadOnly, Alias("ListAsync")]
    Task<AgentPage> ListAsync(PageQuery query);
}
