using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Sessions.Actors;

public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// Makes this process a silo: it hosts activations of the grains added through the returned builder,
    /// and <see cref="IGrainFactory"/> calls them. Stopping the host deactivates every activation.
    /// </summary>
    public static SiloBuilder AddSilo(this IServiceCollection services, Action<SiloOptions>? configure = null)
    {
        services.AddOptions<SiloOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddOptions<GrainCallOptions>();
        services.TryAddSingleton<GrainInterfaceRegistry>();
        services.TryAddSingleton<Catalog>();
        services.TryAddSingleton<IGrainCallRouter>(sp => sp.GetRequiredService<Catalog>());
        services.TryAddSingleton<IGrainFactory, GrainFactory>();
        services.TryAddSingleton<ObserverRegistry>();
        services.TryAddSingleton<LocalSilo>();
        services.AddSingleton<System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver>(ActorsJsonContext.Default);
        services.TryAddSingleton<ISiloStatistics>(sp => new SiloStatistics(sp.GetRequiredService<Catalog>()));
        services.AddSingleton<IHostedService, SiloHostedService>();
        return new SiloBuilder(services);
    }
}
