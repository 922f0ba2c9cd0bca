namespace Sessions.Storage.Agents;

/// <summary>Whether deliveries go out to an agent's webhook.</summary>
public enum AgentStatus
{
    Enabled = 0,
    Disabled = 1,
}
