using System.Reflection;
using Microsoft.Extensions.Options;

namespace Sessions.Actors;

/// <summary>Creates grain references that route their calls through the process's <see cref="IGrainCallRouter"/>.</summary>
internal sealed class GrainFactory(GrainInterfaceRegistry registry, IGrainCallRouter router, IOptions<GrainCallOptions> options) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        var proxy = DispatchProxy.Create<TGrainInterface, GrainProxy>();
        ((GrainProxy)(object)proxy).Initialize(registry.Get(typeof(TGrainInterface)), key, router, options.Value.ResponseTimeout);
        return proxy;
    }
}
