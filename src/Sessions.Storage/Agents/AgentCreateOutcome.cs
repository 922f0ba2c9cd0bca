using Sessions.Abstractions;

namespace Sessions.Storage.Agents;

/// <summary>What <see cref="AgentStore.CreateAsync"/> did. Only <see cref="Created"/> wrote anything.</summary>
public abstract record AgentCreateOutcome
{
    private AgentCreateOutcome()
    {
    }

    /// <summary>The registration was stored; <paramref name="ParticipantCreated"/> says whether its participant was new.</summary>
    public sealed record Created(AgentRow Agent, bool ParticipantCreated) : AgentCreateOutcome;

    /// <summary>The participant already has a registration (nothing changed).</summary>
    public sealed record AlreadyRegistered : AgentCreateOutcome;

    /// <summary>The participant exists with another kind (nothing changed).</summary>
    public sealed record ParticipantNotAgent(ParticipantKind Kind) : AgentCreateOutcome;
}
