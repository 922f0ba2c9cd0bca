using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Client;
using Sessions.Gateway.Api;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Calls;
using Sessions.Gateway.Health;
using Sessions.Gateway.Metrics;
using Sessions.Gateway.RateLimits;
using Sessions.Gateway.Realtime;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Hosting;

public static class GatewayServicesExtensions
{
    /// <summary>The section of the resend schedule for retry-safe grain calls (<see cref="RetrySafeCallOptions"/>).</summary>
    public const string RetriesSectionName = "Sessions:RetrySafeCalls";

    /// <summary>
    /// Registers the HTTP gateway: the grain call helpers, realtime, rate limits, authorization (on top of the bearer
    /// authentication <c>AddGatewayAuthentication</c> registers), the HTTP API's JSON contracts, health endpoints and
    /// OpenAPI. It needs an Orleans grain factory (the silo's, in the host) and <see cref="ILocalSilo"/>; the host adds
    /// the readiness checks (<see cref="HealthEndpoints.ReadyTag"/>).
    /// </summary>
    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LimitsOptions>()
            .BindConfiguration(LimitsOptions.SectionName)
            .Validate(LimitsAreSane, $"Every {LimitsOptions.SectionName} value must be positive, DefaultPageSize at most MaxPageSize, "
                + $"and MaxIdLength at least {GeneratedIds.Length} (the length of the ids the gateway generates).")
            .ValidateOnStart();

        services.AddOptions<RetrySafeCallOptions>().BindConfiguration(RetriesSectionName);
        services.AddSingleton<RetrySafeCalls>();
        services.AddSingleton<GrainCalls>();
        services.AddOptions<RealtimeOptions>()
            .BindConfiguration(RealtimeOptions.SectionName)
            .Validate(o => o.IsValid(), $"Every {RealtimeOptions.SectionName} value must be positive.")
            .ValidateOnStart();
        services.AddSingleton<SessionFeeds>();
        services.AddHostedService(provider => provider.GetRequiredService<SessionFeeds>());
        services.AddSingleton<InboxFeeds>();
        services.AddHostedService(provider => provider.GetRequiredService<InboxFeeds>());
        services.AddSingleton<TopicSubscriptions>();
        services.AddSingleton(_ => new MeterCollector(SessionsCluster.MeterName));
        services.AddSingleton<RealtimeConnections>();
        services.AddHostedService(provider => provider.GetRequiredService<RealtimeConnections>());
        services.AddGatewayRateLimits();
        services.AddGatewayAuthorization();

        services.ConfigureHttpJsonOptions(json => ConfigureJson(json.SerializerOptions));
        services.AddSingleton<JsonRequestBody>();
        services.AddGatewayHealthChecks();
        services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// snake_case, strict numbers, and only source-generated contracts: a type missing from the contexts fails
    /// loudly instead of falling back to reflection.
    /// </summary>
    internal static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(GatewayJsonContext.Default, SessionsJsonContext.Default);
    }

    private static bool LimitsAreSane(LimitsOptions limits) =>
        limits.MaxRequestBodyBytes > 0
        && limits.MaxContentBytes > 0
        && limits.MaxMetadataBytes > 0
        && limits.MaxIdLength >= GeneratedIds.Length
        && limits.MaxDisplayNameLength > 0
        && limits.DefaultPageSize > 0
        && limits.MaxPageSize >= limits.DefaultPageSize;
}
