using Sessions.Storage.Deliveries;

namespace Sessions.Grains.Tests;

/// <summary>
/// Participants and sessions made through the grains, and deliveries written straight to the <see cref="DeliveryStore"/>
/// (in the running system only the agent dispatcher writes the log).
/// </summary>
internal sealed class DeliveryLogSeed(SiloFixture fixture) : DeliveryLogWriter(fixture.Deliveries)
{
    public async Task<string> ParticipantAsync(string prefix, ParticipantKind kind = ParticipantKind.Human)
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        await fixture.Silo.Participants.TryInsertAsync(id, kind, null, null, CancellationToken.None);
        return id;
    }

    /// <summary>A session between two new humans with <paramref name="agentId"/> (a new agent participant when null) as its agent.</summary>
    public async Task<(string AgentId, string SessionId)> AgentInSessionAsync(string? agentId = null)
    {
        agentId ??= await ParticipantAsync("agent", ParticipantKind.Agent);
        var sessionId = $"s-{Guid.NewGuid():N}";
        var command = new CreateSessionCommand(await ParticipantAsync("alice"), await ParticipantAsync("bob"), agentId, "", null, null);
        await fixture.Grains.GetGrain<IChatSessionGrain>(sessionId).CreateAsync(command);
        return (agentId, sessionId);
    }
}
