namespace Sessions.Storage.Agents;

/// <summary>A registration to create (<see cref="AgentStore.CreateAsync"/>); <paramref name="DisabledReason"/> only with <see cref="AgentStatus.Disabled"/>.</summary>
public sealed record NewAgent(
    string ParticipantId, string Url, string Secret, AgentSettings Settings, AgentStatus Status = AgentStatus.Enabled, string? DisabledReason = null);
