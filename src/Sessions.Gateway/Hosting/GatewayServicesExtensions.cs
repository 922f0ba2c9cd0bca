using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Abstractions;
using Sessions.Actors;
using Sessions.Gateway.Health;
using Sessions.Gateway.Requests;
using Sessions.Gateway.Serialization;
using Sessions.Grains;
using Sessions.Storage;

namespace Sessions.Gateway.Hosting;

public static class GatewayServicesExtensions
{
    /// <summary>The configuration section of the silo's options (<see cref="SiloOptions"/>, such as <c>CollectionAge</c>).</summary>
    public const string SiloSectionName = "Sessions:Silo";

    /// <summary>Registers storage, the silo with the chat grains, the HTTP API's JSON contracts, health checks and OpenAPI.</summary>
    public static WebApplicationBuilder AddGatewayServices(this WebApplicationBuilder builder, string connectionString, string? publicUrls)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddOptions<LimitsOptions>()
            .BindConfiguration(LimitsOptions.SectionName)
            .Validate(LimitsAreSane, $"Every {LimitsOptions.SectionName} value must be positive, DefaultPageSize at most MaxPageSize, "
                + $"and MaxIdLength at least {GeneratedIds.Length} (the length of the ids the gateway generates).")
            .ValidateOnStart();

        services.AddSessionsStorage(connectionString);
        var cluster = new ClusterOptions();
        ClusterSettings.Apply(configuration, cluster);
        services.AddSessionsMembership(cluster.ClusterId);
        services.AddSilo(silo => configuration.GetSection(SiloSectionName).Bind(silo))
            .AddChatGrains()
            .UseClustering(options => ClusterSettings.Apply(configuration, options));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (publicUrls is not null)
            {
                PublicEndpoints.Listen(kestrel, publicUrls);
            }

            kestrel.ApplicationServices.GetRequiredService<SiloEndpoint>().Listen(kestrel);
        });

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
