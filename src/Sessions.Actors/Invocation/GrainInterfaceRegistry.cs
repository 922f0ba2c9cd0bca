using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sessions.Actors;

/// <summary>
/// The grain interfaces known to this process and the JSON options their calls are serialized with.
/// Options come only from registered source-generated contexts, so an unknown type fails at start-up, not mid-call.
/// </summary>
public sealed class GrainInterfaceRegistry
{
    private readonly ConcurrentDictionary<Type, GrainInterface> _byType = new();
    private readonly ConcurrentDictionary<string, GrainInterface> _byName = new();

    public GrainInterfaceRegistry(IEnumerable<IJsonTypeInfoResolver> resolvers, IEnumerable<GrainInterfaceRegistration> interfaces)
    {
        Options = new JsonSerializerOptions { TypeInfoResolver = JsonTypeInfoResolver.Combine([.. resolvers]) };
        Options.MakeReadOnly();
        foreach (var registration in interfaces)
        {
            Get(registration.InterfaceType);
        }
    }

    /// <summary>The options every grain call's arguments and results go through.</summary>
    public JsonSerializerOptions Options { get; }

    internal GrainInterface Get(Type interfaceType) => _byType.GetOrAdd(interfaceType, t =>
    {
        var grainInterface = new GrainInterface(t, Options);
        _byName[grainInterface.TypeName] = grainInterface;
        return grainInterface;
    });

    internal GrainInterface? Find(string typeName) => _byName.GetValueOrDefault(typeName);
}

/// <summary>Declares a grain interface so that it is checked and prepared at start-up.</summary>
public sealed record GrainInterfaceRegistration(Type InterfaceType);
