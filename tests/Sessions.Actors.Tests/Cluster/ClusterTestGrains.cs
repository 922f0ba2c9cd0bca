using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace Sessions.Actors.Tests;

public interface IChatObserver : IGrainObserver
{
    Task OnMessageAsync(string text);
}

public interface IPublisherGrain : IGrainWithStringKey
{
    Task SubscribeAsync(ObserverReference observer);

    Task<int> PublishAsync(string text);

    /// <summary>Which silo runs this activation.</summary>
    Task<string> WhereAsync();
}

[JsonSerializable(typeof(ObserverReference))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class ClusterTestJsonContext : JsonSerializerContext;

internal sealed class PublisherGrain(LocalSilo silo) : Grain, IPublisherGrain
{
    private readonly List<ObserverReference> _observers = [];

    public Task SubscribeAsync(ObserverReference observer)
    {
        _observers.Add(observer);
        return Task.CompletedTask;
    }

    public async Task<int> PublishAsync(string text)
    {
        foreach (var observer in _observers)
        {
            await GrainFactory.GetObserver<IChatObserver>(observer).OnMessageAsync(text);
        }

        return _observers.Count;
    }

    public Task<string> WhereAsync() => Task.FromResult(silo.Name);
}

internal sealed class RecordingObserver : IChatObserver
{
    public ConcurrentQueue<string> Received { get; } = new();

    public Task OnMessageAsync(string text)
    {
        Received.Enqueue(text);
        return Task.CompletedTask;
    }
}
