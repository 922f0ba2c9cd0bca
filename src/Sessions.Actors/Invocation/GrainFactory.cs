using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Sessions.Actors;

/// <summary>Creates grain references that route their calls through the process's <see cref="IGrainCallRouter"/>, and observer references.</summary>
internal sealed class GrainFactory(
    GrainInterfaceRegistry registry,
    IGrainCallRouter router,
    ObserverRegistry observers,
    LocalSilo localSilo,
    IServiceProvider services,
    IOptions<GrainCallOptions> options) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        return CreateProxy<TGrainInterface>(key, router);
    }

    public ObserverReference CreateObjectReference<TObserver>(TObserver observer) where TObserver : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(observer);
        return new ObserverReference(localSilo.Name, observers.Add(observer, typeof(TObserver)));
    }

    public void DeleteObjectReference(ObserverReference reference) => observers.Remove(reference.Id);

    public TObserver GetObserver<TObserver>(ObserverReference reference) where TObserver : IGrainObserver
    {
        ArgumentNullException.ThrowIfNull(reference);
        return CreateProxy<TObserver>(reference.Id, new ObserverCallRouter(reference.Silo, localSilo, observers, services.GetService<SiloTransport>()));
    }

    private TInterface CreateProxy<TInterface>(string key, IGrainCallRouter callRouter)
    {
        var proxy = DispatchProxy.Create<TInterface, GrainProxy>();
        ((GrainProxy)(object)proxy!).Initialize(registry.Get(typeof(TInterface)), key, callRouter, options.Value.ResponseTimeout);
        return proxy;
    }
}
