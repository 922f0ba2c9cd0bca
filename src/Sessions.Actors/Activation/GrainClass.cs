using System.Reflection;

namespace Sessions.Actors;

/// <summary>A grain implementation class and how its calls may be scheduled.</summary>
internal sealed class GrainClass
{
    public GrainClass(Type interfaceType, Type classType, GrainInterface grainInterface)
    {
        if (!classType.IsSubclassOf(typeof(Grain)) || !interfaceType.IsAssignableFrom(classType) || classType.IsAbstract)
        {
            throw new InvalidOperationException($"{classType} must be a concrete Grain that implements {interfaceType}.");
        }

        ClassType = classType;
        Interface = grainInterface;
        Reentrant = classType.IsDefined(typeof(ReentrantAttribute));
        Interleaves = Reentrant || grainInterface.Methods.Values.Any(m => m.AlwaysInterleave || m.ReadOnly);
    }

    public Type ClassType { get; }

    public GrainInterface Interface { get; }

    public bool Reentrant { get; }

    /// <summary>False for the common grain whose calls never overlap: it gets the simplest, fastest loop.</summary>
    public bool Interleaves { get; }
}

/// <summary>Declares that <see cref="ClassType"/> implements the grain interface <see cref="InterfaceType"/> on this silo.</summary>
public sealed record GrainClassRegistration(Type InterfaceType, Type ClassType);
