using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sessions.Actors;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Makes the silo a member of a cluster: it joins the membership table (an <see cref="IMembershipTable"/> must be
    /// registered), places grains by rendezvous hashing over the Active silos, and calls other silos over HTTP/2.
    /// The host must also listen on the silo endpoint (<see cref="SiloEndpoint.Listen"/>) and map its routes
    /// (<see cref="SiloEndpointRoutes.MapSiloEndpoints"/>).
    /// </summary>
    public static SiloBuilder UseClustering(this SiloBuilder builder, Action<ClusterOptions>? configure = null)
    {
        var services = builder.Services;
        AddTransport(services, configure);
        services.TryAddSingleton<SiloEndpoint>();
        services.TryAddSingleton<MembershipService>();
        services.TryAddSingleton<IClusterMembership>(sp => sp.GetRequiredService<MembershipService>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MembershipService>());
        services.TryAddSingleton(sp => new ClusterCallRouter(
            sp.GetRequiredService<Catalog>(),
            sp.GetRequiredService<SiloTransport>(),
            sp.GetRequiredService<IClusterMembership>(),
            sp.GetRequiredService<ObserverRegistry>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>(),
            sp.GetRequiredService<ILogger<ClusterCallRouter>>()));
        services.Replace(ServiceDescriptor.Singleton<IGrainCallRouter>(sp => sp.GetRequiredService<ClusterCallRouter>()));
        return builder;
    }

    /// <summary>
    /// Makes this process a cluster client: it hosts no grains, reads the membership table (an
    /// <see cref="IMembershipTable"/> must be registered) and sends each call to the silo that owns the grain,
    /// riding through silo failures. Declare the JSON contexts of the grain interfaces on the returned builder.
    /// </summary>
    public static SiloBuilder AddClusterClient(this IServiceCollection services, Action<ClusterOptions>? configure = null)
    {
        AddTransport(services, configure);
        services.AddOptions<GrainCallOptions>();
        services.TryAddSingleton<GrainInterfaceRegistry>();
        services.TryAddSingleton<ObserverRegistry>();
        services.TryAddSingleton<LocalSilo>();
        services.TryAddSingleton<IGrainFactory, GrainFactory>();
        services.AddSingleton<System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver>(ActorsJsonContext.Default);
        services.TryAddSingleton<MembershipReader>();
        services.TryAddSingleton<IClusterMembership>(sp => sp.GetRequiredService<MembershipReader>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MembershipReader>());
        services.TryAddSingleton(sp => new ClusterCallRouter(
            null,
            sp.GetRequiredService<SiloTransport>(),
            sp.GetRequiredService<IClusterMembership>(),
            sp.GetRequiredService<ObserverRegistry>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>(),
            sp.GetRequiredService<ILogger<ClusterCallRouter>>()));
        services.TryAddSingleton<IGrainCallRouter>(sp => sp.GetRequiredService<ClusterCallRouter>());
        return new SiloBuilder(services);
    }

    private static void AddTransport(IServiceCollection services, Action<ClusterOptions>? configure)
    {
        services.AddOptions<ClusterOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<SiloTransport>();
    }
}
