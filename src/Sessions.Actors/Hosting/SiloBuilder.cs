using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Actors;

/// <summary>Declares the grains and JSON contracts of a silo or client.</summary>
public sealed class SiloBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>Hosts <typeparamref name="TGrain"/> as the implementation of <typeparamref name="TInterface"/> on this silo.</summary>
    public SiloBuilder AddGrain<TInterface, TGrain>()
        where TInterface : IGrainWithStringKey
        where TGrain : Grain, TInterface
    {
        Services.AddSingleton(new GrainInterfaceRegistration(typeof(TInterface)));
        Services.AddSingleton(new GrainClassRegistration(typeof(TInterface), typeof(TGrain)));
        return this;
    }

    /// <summary>Declares a grain interface this process calls without hosting it (a client), so it is checked at start-up.</summary>
    public SiloBuilder AddGrainInterface<TInterface>() where TInterface : IGrainWithStringKey
    {
        Services.AddSingleton(new GrainInterfaceRegistration(typeof(TInterface)));
        return this;
    }

    /// <summary>Adds a source-generated JSON context that knows the argument and result types of grain calls.</summary>
    public SiloBuilder AddJsonContext(IJsonTypeInfoResolver resolver)
    {
        Services.AddSingleton(resolver);
        return this;
    }
}
