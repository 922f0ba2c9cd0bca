namespace Sessions.Gateway.Tests.Hostile;

/// <summary>
/// A session that exists before the attack, with its members, its agent and a reply in flight: a generated request
/// names these ids wherever it keeps an id valid, so that it gets past the id lookups to the code behind them.
/// </summary>
public sealed record HostileScene(string SessionId, string Initiator, string Peer, string Agent, string ReplyId);

/// <summary>Everything the attack aims at: the scenes, a delivery that exists, and agents it may delete.</summary>
public sealed record AttackTargets(IReadOnlyList<HostileScene> Scenes, string DeliveryId, IReadOnlyList<string> DisposableAgents);
