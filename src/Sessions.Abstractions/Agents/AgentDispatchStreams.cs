namespace Sessions.Abstractions;

/// <summary>
/// The Orleans stream a session announces its new messages on, for its agent's dispatcher (an implicit subscription):
/// namespace <see cref="Namespace"/>, key the session id, on the provider <see cref="ProviderName"/>. A notice is only
/// a hint; the dispatcher reads the log itself.
/// </summary>
public static class AgentDispatchStreams
{
    public const string ProviderName = "agent-dispatch";

    public const string Namespace = "session-messages";
}

/// <summary>The session's log reaches <paramref name="LastSeq"/> with a message the agent did not send.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.SessionMessageNotice")]
public sealed record SessionMessageNotice([property: Id(0)] string SessionId, [property: Id(1)] long LastSeq);
