using System.Text.Json.Serialization;

namespace Sessions.Actors.Tests;

public sealed record Tally(string Key, int Value, List<string> Notes);

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync(int by);

    Task<Tally> GetAsync();

    /// <summary>Stores a copy of the notes; the caller's list must stay untouched by what the grain does.</summary>
    Task<Tally> AddNotesAsync(List<string> notes);

    Task ThrowAsync(string message);

    Task FailWithCodeAsync(string code);

    Task SlowTurnAsync();

    Task DeactivateAsync();

    /// <summary>Increments only when the silo still owns the grain after rereading the membership; else hands the call on.</summary>
    Task<int> IncrementIfPlacedHereAsync(int by);
}

public interface IGatedGrain : IGrainWithStringKey
{
    Task<string> EchoAsync(string text);

    Task WaitForGateAsync(string gate);
}

public interface IInterleavingGrain : IGrainWithStringKey
{
    Task WaitForGateAsync(string gate);

    [AlwaysInterleave]
    Task<string> PingAsync();

    [ReadOnly]
    Task ReadAsync(string gate);
}

public interface IReentrantGrain : IGrainWithStringKey
{
    Task WaitForGateAsync(string gate);

    Task<int> CountAsync();
}

[JsonSerializable(typeof(Tally))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

internal sealed class CounterGrain(GrainProbe probe) : Grain, ICounterGrain
{
    private readonly List<string> _notes = [];
    private int _value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (probe.FailActivation.TryGetValue(GetPrimaryKeyString(), out var fail) && fail)
        {
            throw new InvalidOperationException("activation refused");
        }

        probe.Record($"activate:{GetPrimaryKeyString()}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{GetPrimaryKeyString()}:{reason.Code}");
        return Task.CompletedTask;
    }

    public Task<int> IncrementAsync(int by) => Task.FromResult(_value += by);

    public Task<Tally> GetAsync() => Task.FromResult(new Tally(GetPrimaryKeyString(), _value, _notes));

    public Task<Tally> AddNotesAsync(List<string> notes)
    {
        notes.Add("touched by grain");
        _notes.AddRange(notes);
        return GetAsync();
    }

    public Task ThrowAsync(string message) => throw new InvalidOperationException(message);

    public Task FailWithCodeAsync(string code) =>
        throw new GrainException(code, "on purpose", new Dictionary<string, string> { ["answer"] = "42" });

    public async Task SlowTurnAsync()
    {
        using (probe.EnterTurn())
        {
            await Task.Delay(1);
            await Task.Yield();
            _value++;
        }
    }

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task<int> IncrementIfPlacedHereAsync(int by)
    {
        if (probe.Moved.Contains(GetPrimaryKeyString()) || !await IsPlacedHereAsync())
        {
            throw new GrainMovedException($"{GetPrimaryKeyString()} is owned by another silo.");
        }

        return _value += by;
    }
}

internal sealed class GatedGrain(GrainProbe probe) : Grain, IGatedGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Record("activating");
        await probe.Gate($"activate:{GetPrimaryKeyString()}").Task;
    }

    public Task<string> EchoAsync(string text)
    {
        probe.Record($"echo:{text}");
        return Task.FromResult(text);
    }

    public Task WaitForGateAsync(string gate) => probe.Gate(gate).Task;
}

internal sealed class InterleavingGrain(GrainProbe probe) : Grain, IInterleavingGrain
{
    public Task WaitForGateAsync(string gate) => probe.Gate(gate).Task;

    public Task<string> PingAsync() => Task.FromResult("pong");

    public async Task ReadAsync(string gate)
    {
        probe.Record($"read-start:{gate}");
        await probe.Gate(gate).Task;
    }
}

[Reentrant]
internal sealed class ReentrantGrain(GrainProbe probe) : Grain, IReentrantGrain
{
    private int _calls;

    public Task WaitForGateAsync(string gate)
    {
        _calls++;
        return probe.Gate(gate).Task;
    }

    public Task<int> CountAsync() => Task.FromResult(_calls);
}
