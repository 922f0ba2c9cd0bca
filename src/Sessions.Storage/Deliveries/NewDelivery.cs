namespace Sessions.Storage.Deliveries;

/// <summary>
/// A delivery about to be sent: messages <paramref name="FirstSeq"/>..<paramref name="LastSeq"/> of a session to an
/// agent. <paramref name="Id"/> is the caller's (a version 7 uuid, sent as <c>webhook-id</c>), so the caller can
/// insert it again after a crash. <paramref name="NextAttemptAt"/>: when the first attempt is due; null means now.
/// </summary>
public sealed record NewDelivery(Guid Id, string AgentId, string SessionId, long FirstSeq, long LastSeq, DateTimeOffset? NextAttemptAt = null);
