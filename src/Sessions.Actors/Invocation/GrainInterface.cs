using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace Sessions.Actors;

/// <summary>A grain interface and its methods, looked up by name (so overloads are not allowed).</summary>
internal sealed class GrainInterface
{
    public GrainInterface(Type interfaceType, JsonSerializerOptions options)
    {
        IsObserver = typeof(IGrainObserver).IsAssignableFrom(interfaceType);
        if (!interfaceType.IsInterface || !(IsObserver || typeof(IGrainWithStringKey).IsAssignableFrom(interfaceType)))
        {
            throw new InvalidOperationException($"{interfaceType} must be an interface that extends IGrainWithStringKey or IGrainObserver.");
        }

        Type = interfaceType;
        TypeName = IsObserver ? ObserverRegistry.GrainTypePrefix + interfaceType.FullName : interfaceType.FullName!;
        var methods = new Dictionary<string, GrainMethod>();
        foreach (var method in new[] { interfaceType }.Concat(interfaceType.GetInterfaces()).SelectMany(i => i.GetMethods()))
        {
            if (!methods.TryAdd(method.Name, new GrainMethod(method, options)))
            {
                throw new InvalidOperationException($"Grain interface {TypeName} has two methods named {method.Name}; overloads are not supported.");
            }
        }

        Methods = methods.ToFrozenDictionary();
        ByMethodInfo = methods.Values.ToFrozenDictionary(m => m.Method);
    }

    public Type Type { get; }

    public bool IsObserver { get; }

    /// <summary>The name used on the wire and for placement.</summary>
    public string TypeName { get; }

    public FrozenDictionary<string, GrainMethod> Methods { get; }

    public FrozenDictionary<MethodInfo, GrainMethod> ByMethodInfo { get; }
}
