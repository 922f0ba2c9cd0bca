namespace Sessions.Storage.Agents;

/// <summary>Agents in ascending participant id order; <see cref="NextCursor"/> fetches the following page, null at the end.</summary>
public sealed record AgentRowPage(IReadOnlyList<AgentRow> Agents, string? NextCursor);
