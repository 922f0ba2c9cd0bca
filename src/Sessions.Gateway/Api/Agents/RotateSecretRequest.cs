namespace Sessions.Gateway.Api.Agents;

/// <summary>The optional body of <c>POST /api/agents/{id}/secret/rotate</c>.</summary>
public sealed class RotateSecretRequest
{
    /// <summary>A <c>whsec_…</c> secret to sign with from now on; generated when absent.</summary>
    public string? Secret { get; init; }
}
