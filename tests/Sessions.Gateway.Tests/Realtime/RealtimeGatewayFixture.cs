namespace Sessions.Gateway.Tests.Realtime;

/// <summary>A gateway with small realtime limits (replay, subscriptions, frame size) and a quick heartbeat.</summary>
public sealed class RealtimeGatewayFixture : GatewayFixture
{
    public const int MaxReplayMessages = 30;
    public const int MaxSubscriptionsPerConnection = 3;
    public const int MaxFrameBytes = 4096;
    public const int MaxPageSize = 7;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sessions:Realtime:MaxReplayMessages"] = $"{MaxReplayMessages}",
        ["Sessions:Realtime:MaxSubscriptionsPerConnection"] = $"{MaxSubscriptionsPerConnection}",
        ["Sessions:Realtime:MaxFrameBytes"] = $"{MaxFrameBytes}",
        ["Sessions:Realtime:HeartbeatInterval"] = "00:00:01",
        // Replays and gap fills read pages: a small page makes them take several.
        ["Sessions:Limits:MaxPageSize"] = $"{MaxPageSize}",
        ["Sessions:Limits:DefaultPageSize"] = "5",
    };
}
