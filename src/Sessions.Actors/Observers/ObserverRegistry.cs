using System.Collections.Concurrent;

namespace Sessions.Actors;

/// <summary>
/// The observer objects hosted by this process, by id. Calls to them do not take turns: an observer is a plain
/// object that handles its own concurrency, as in Orleans.
/// </summary>
public sealed class ObserverRegistry(GrainInterfaceRegistry interfaces)
{
    /// <summary>The grain type of every observer call on the wire, followed by the observer interface's name.</summary>
    internal const string GrainTypePrefix = "observer:";

    private readonly ConcurrentDictionary<string, (object Target, GrainInterface Interface)> _observers = new();

    internal string Add(object target, Type interfaceType)
    {
        var id = Guid.NewGuid().ToString("N");
        _observers[id] = (target, interfaces.Get(interfaceType));
        return id;
    }

    internal bool Remove(string id) => _observers.TryRemove(id, out _);

    internal static bool IsObserverCall(GrainCall call) => call.GrainType.StartsWith(GrainTypePrefix, StringComparison.Ordinal);

    internal Task<GrainResponse> InvokeAsync(GrainCall call)
    {
        if (!_observers.TryGetValue(call.Key, out var observer))
        {
            return Task.FromResult(RuntimeErrors.Failure(RuntimeErrors.ObserverGone, $"Observer {call.Key} is no longer registered on this silo."));
        }

        return observer.Interface.Methods.TryGetValue(call.Method, out var method)
            ? GrainInvoker.InvokeAsync(observer.Target, method, call.Arguments)
            : Task.FromResult(RuntimeErrors.Failure(RuntimeErrors.UnknownMethod, $"{observer.Interface.TypeName} has no method {call.Method}."));
    }
}
