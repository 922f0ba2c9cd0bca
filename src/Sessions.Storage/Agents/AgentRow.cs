namespace Sessions.Storage.Agents;

/// <summary>
/// One row of <c>agents</c>: an agent participant's webhook registration. A null setting means the configured default
/// (<c>Sessions:Webhooks</c>); the secrets are the Standard Webhooks text (<c>whsec_…</c>), as stored.
/// </summary>
public sealed record AgentRow(
    string ParticipantId,
    string Url,
    string Secret,
    string? PreviousSecret,
    DateTimeOffset? PreviousSecretExpiresAt,
    AgentSettings Settings,
    AgentStatus Status,
    string? DisabledReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
