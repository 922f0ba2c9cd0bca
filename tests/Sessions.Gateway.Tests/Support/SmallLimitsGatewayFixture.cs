namespace Sessions.Gateway.Tests;

/// <summary>A gateway with small limits, so that every limit can be crossed with small requests.</summary>
public sealed class SmallLimitsGatewayFixture : GatewayFixture
{
    public const int MaxRequestBodyBytes = 2048;
    public const int MaxContentBytes = 512;
    public const int MaxMetadataBytes = 256;
    public const int MaxPageSize = 10;
    public const int DefaultPageSize = 3;
    public const int MaxIdLength = 32;

    /// <summary>Larger than the body limit: the body-size tests pad their bodies through the display name.</summary>
    public const int MaxDisplayNameLength = 4096;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sessions:Limits:MaxRequestBodyBytes"] = $"{MaxRequestBodyBytes}",
        ["Sessions:Limits:MaxContentBytes"] = $"{MaxContentBytes}",
        ["Sessions:Limits:MaxMetadataBytes"] = $"{MaxMetadataBytes}",
        ["Sessions:Limits:MaxPageSize"] = $"{MaxPageSize}",
        ["Sessions:Limits:DefaultPageSize"] = $"{DefaultPageSize}",
        ["Sessions:Limits:MaxIdLength"] = $"{MaxIdLength}",
        ["Sessions:Limits:MaxDisplayNameLength"] = $"{MaxDisplayNameLength}",
        ["Sessions:Silo:CollectionAge"] = "00:02:00",
        ["Sessions:Cluster:NumMissedProbesLimit"] = "5",
        ["Sessions:RetrySafeCalls:MaxRetryAttempts"] = "4",
    };
}
