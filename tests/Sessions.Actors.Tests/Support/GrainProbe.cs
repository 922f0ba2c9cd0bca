using System.Collections.Concurrent;

namespace Sessions.Actors.Tests;

/// <summary>What the test grains report about their lives, so tests can observe the runtime from outside.</summary>
internal sealed class GrainProbe
{
    private int _running;
    private int _maxRunning;

    public ConcurrentQueue<string> Events { get; } = new();

    public ConcurrentDictionary<string, TaskCompletionSource> Gates { get; } = new();

    public ConcurrentDictionary<string, bool> FailActivation { get; } = new();

    /// <summary>Keys whose grains claim to belong to another silo whatever the membership says.</summary>
    public ConcurrentBag<string> Moved { get; } = [];

    public int MaxConcurrentTurns => Volatile.Read(ref _maxRunning);

    public TaskCompletionSource Gate(string name) => Gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Record(string grainEvent) => Events.Enqueue(grainEvent);

    public int Count(string grainEvent) => Events.Count(e => e == grainEvent);

    public IDisposable EnterTurn()
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
        {
        }

        return new Exit(this);
    }

    private sealed class Exit(GrainProbe probe) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref probe._running);
    }
}
